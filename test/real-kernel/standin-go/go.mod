module kandaoni.com/anqicms

go 1.19

require (
	github.com/kataras/iris/v12 v12.2.11
	github.com/robfig/cron/v3 v3.0.1
)

// No network in tests: the two "dependencies" are small local modules with the real modules' paths and
// versions (see README.md), so their frames print as `github.com/…@v…/` under -trimpath.
replace (
	github.com/kataras/iris/v12 => ./third_party/iris
	github.com/robfig/cron/v3 => ./third_party/cron
)
