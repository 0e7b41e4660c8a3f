package provider

import (
	"fmt"
	"log"

	"github.com/robfig/cron/v3"
)

// SitemapError is the value the sitemap job panics with.
type SitemapError struct {
	Site  string
	Count int
}

func (e *SitemapError) Error() string {
	return fmt.Sprintf("sitemap of %s: %d urls exceed the 50000 limit", e.Site, e.Count)
}

// BuildSitemap panics with a custom value.
//
//go:noinline
func (w *Website) BuildSitemap(count int) {
	if count > 50000 {
		panic(&SitemapError{Site: w.Name, Count: count})
	}
}

// RebuildSitemap logs a panic of BuildSitemap and panics again with it ([recovered] in Go's report).
func (w *Website) RebuildSitemap() {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("sitemap failed: %v", r)
			panic(r)
		}
	}()
	w.BuildSitemap(61234)
}

// StartSitemap runs BuildSitemap on the scheduler; StartRebuild runs RebuildSitemap.
func (w *Website) StartSitemap() { w.cron.AddJobNow(cron.FuncJob(func() { w.BuildSitemap(61234) })) }
func (w *Website) StartRebuild() { w.cron.AddJobNow(cron.FuncJob(w.RebuildSitemap)) }
