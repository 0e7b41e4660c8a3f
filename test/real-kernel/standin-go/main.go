// A stand-in for AnQiCMS (kandaoni.com/anqicms) for oomscope's real-kernel tests: it starts and works as AnQiCMS
// does (the ExecPath line, the Iris banner, Go log lines, HTTP) and dies, on request, the ways a Go program dies.
// See README.md for the routes and the build.
package main

import (
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/kataras/iris/v12"
	"kandaoni.com/anqicms/config"
	"kandaoni.com/anqicms/provider"
)

// deaths are the ways to die, by route (GET /<name>) and by $ANQICMS_DIE.
func deaths(w *provider.Website, cfg *config.Server) map[string]func() {
	return map[string]func(){
		"leak":        func() { go w.GenerateTitleImageCache(cfg.LeakMaxMiB) },
		"panic":       w.StartCollector,
		"panic-value": w.StartSitemap,
		"repanic":     w.StartRebuild,
		"map-writes":  w.CountViews,
		"stack":       func() { log.Println(provider.BreadcrumbLoop()) },
		"restart":     func() { go provider.Restart() },
	}
}

func connectDatabase(addr string) error {
	if addr == "" {
		return nil
	}
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	return conn.Close()
}

func waitForSignal() {
	quit := make(chan os.Signal, 1)
	signal.Notify(quit, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	sig := <-quit
	fmt.Println("退出", sig)
	fmt.Println("监听到退出信号")
	os.Exit(0)
}

func main() {
	log.Println(config.ExecPath)
	cfg := config.Load()
	if err := connectDatabase(cfg.DBAddr); err != nil {
		log.Fatal("Failed To Connect Database: ", err)
	}
	w := provider.NewWebsite()
	app := iris.New()
	app.Get("/", func(ctx *iris.Context) { ctx.WriteString("ok " + strconv.Itoa(os.Getpid()) + "\n") })
	app.Get("/work", func(ctx *iris.Context) {
		ctx.WriteString("working\n")
		go w.RebuildIndex(90, 2, 400)
	})
	for name, die := range deaths(w, cfg) {
		die := die
		app.Get("/"+name, func(ctx *iris.Context) {
			ctx.WriteString(name + " " + strconv.Itoa(os.Getpid()) + "\n")
			ctx.W.(interface{ Flush() }).Flush()
			die()
		})
	}
	go waitForSignal()
	go func() {
		time.Sleep(300 * time.Millisecond)
		log.Printf("载入sego词典 %sdictionary.txt", config.ExecPath)
		log.Println("sego词典载入完毕")
		time.Sleep(700 * time.Millisecond)
		log.Printf("请手动在浏览器输入访问地址： http://127.0.0.1:%d", cfg.Port)
		if die, ok := deaths(w, cfg)[cfg.Die]; ok {
			die()
		}
	}()
	err := app.Listen(fmt.Sprintf("127.0.0.1:%d", cfg.Port))
	if errors.Is(err, syscall.EADDRINUSE) {
		fmt.Println("端口已经被占用，可能软件已经启动")
		os.Exit(255)
	}
	log.Fatal(err)
}
