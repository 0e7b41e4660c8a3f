// Package cron is a tiny stand-in for github.com/robfig/cron/v3 (oomscope's tests): it runs jobs in goroutines of
// its own and, like cron.New() without cron.Recover, does not recover their panics.
package cron

// Job is a unit of work.
type Job interface{ Run() }

// FuncJob is a func as a Job.
type FuncJob func()

// Run calls f.
func (f FuncJob) Run() { f() }

// Cron runs jobs.
type Cron struct {
	running chan struct{}
}

// New makes a scheduler.
func New() *Cron { return &Cron{running: make(chan struct{}, 64)} }

// AddJobNow runs the job at once, in its own goroutine (the scheduler's tick, shortened).
func (c *Cron) AddJobNow(j Job) { c.startJob(j) }

//go:noinline
func (c *Cron) startJob(j Job) {
	go func() {
		c.running <- struct{}{}
		defer func() { <-c.running }()
		j.Run()
	}()
}
