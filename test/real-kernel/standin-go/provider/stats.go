package provider

import "fmt"

// countView records a page view in the site's map, which has no lock: two writers at once are a fatal error.
//
//go:noinline
func (w *Website) countView(page string) {
	w.views[page]++
}

// CountViews counts views from several goroutines at once (a missing mutex).
func (w *Website) CountViews() {
	for g := 0; g < 4; g++ {
		go func(g int) {
			for i := 0; ; i++ {
				w.countView(fmt.Sprintf("/article/%d.html", (i+g)%64))
			}
		}(g)
	}
}

// Category is a node of the category tree.
type Category struct {
	Title  string
	Parent *Category
}

// Path walks up to the root: a category that is its own ancestor recurses until the stack is exhausted.
//
//go:noinline
func (c *Category) Path() string {
	if c.Parent == nil {
		return c.Title
	}
	return c.Parent.Path() + "/" + c.Title
}

// BreadcrumbLoop is a category tree edited into a cycle, and a breadcrumb asked of it.
func BreadcrumbLoop() string {
	news := &Category{Title: "新闻"}
	tech := &Category{Title: "技术", Parent: news}
	news.Parent = tech
	return tech.Path()
}
