// Package provider is where AnQiCMS's work is done; the stand-in keeps the few functions its deaths go through.
package provider

import (
	"fmt"
	"log"
	"os"
	"syscall"

	"github.com/robfig/cron/v3"
)

// Font is a title image's font; a site without a font file has none (AnQiCMS 2024-04's nil font).
type Font struct {
	Size float64
}

// Website is one site with its scheduler and caches.
type Website struct {
	Name  string
	Font  *Font
	cron  *cron.Cron
	cache [][]byte
	views map[string]int
}

// NewWebsite makes the default site.
func NewWebsite() *Website {
	return &Website{Name: "default", cron: cron.New(), views: map[string]int{}}
}

// GenerateTitleImage draws an article's title image: with no font it dereferences nil.
//
//go:noinline
func (w *Website) GenerateTitleImage(title string) float64 {
	return w.Font.Size * float64(len(title))
}

// CollectArticles is the collector job: it makes a title image for each article it collected.
func (w *Website) CollectArticles() {
	for _, title := range []string{"AnQiCMS 3.3 发布", "Go 内存"} {
		log.Printf("采集文章 %s, 宽度 %.0f", title, w.GenerateTitleImage(title))
	}
}

// StartCollector runs the collector job on the scheduler (a goroutine of the cron library).
func (w *Website) StartCollector() {
	w.cron.AddJobNow(cron.FuncJob(w.CollectArticles))
}

// Restart is the admin's restart: AnQiCMS re-executes itself with the same pid.
func Restart() {
	fmt.Println("监听到路由更改")
	fmt.Println("进程结束，开始重启")
	exe, err := os.Executable()
	if err == nil {
		err = syscall.Exec(exe, os.Args, os.Environ())
	}
	log.Fatal("restart failed: ", err)
}
