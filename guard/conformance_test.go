package guard_test

import (
	"testing"

	"github.com/stateguard/stateguard/guard/guardtest"
)

// TestConformance runs the conformance suite against every store: memory
// always, the SQL stores when their packages and databases are available.
func TestConformance(t *testing.T) {
	t.Run("memory", func(t *testing.T) { guardtest.Run(t, guardtest.Memory()) })
}
