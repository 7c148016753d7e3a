package pgstore_test

import (
	"testing"

	"github.com/stateguard/stateguard/guard/internal/sqltest"
)

func BenchmarkStore(b *testing.B) {
	sqltest.Bench(b, *openDB(b))
}
