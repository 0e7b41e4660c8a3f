module github.com/kataras/iris/v12

go 1.19
