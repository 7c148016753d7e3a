package deps

import (
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/golangci/plugin-module-register/register"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "golang.org/x/tools/go/analysis/singlechecker"
	_ "golang.org/x/tools/go/analysis/checker"
	_ "golang.org/x/tools/go/analysis/analysistest"
	_ "golang.org/x/tools/go/ssa/ssautil"
	_ "modernc.org/sqlite"
)
