// Package clean guards a save with the state the action leaves.
package clean

import (
	"context"

	"example.com/vetmod/server"
)

// Shelve starts shelving s.
func Shelve(ctx context.Context, s *server.Server) error {
	s.TaskState = server.TaskShelving
	return s.Save(ctx, server.TaskNone)
}
