// Package bad guards a save with the state it has just written.
package bad

import (
	"context"

	"example.com/vetmod/server"
)

// Shelve starts shelving s.
func Shelve(ctx context.Context, s *server.Server) error {
	s.TaskState = server.TaskShelving
	return s.Save(ctx, server.TaskShelving) // finding: ineffective-guard
}
