package mattermost

import "time"

// SqlJobStore is the SQL job store.
type SqlJobStore struct {
	exec        func(query string, args ...any) (rowsAffected int64, err error)
	lastWritten map[string]string
}

// UpdateOptimistically runs one conditional UPDATE: the expectation is in
// its WHERE clause on every path.
func (s *SqlJobStore) UpdateOptimistically(job *Job, currentStatus string) (bool, error) { // want UpdateOptimistically:`save\(Status of #0, expect=#1\) by convention`
	n, err := s.exec("UPDATE Jobs SET LastActivityAt = ?, Status = ?, Progress = ? WHERE Id = ? AND Status = ?",
		time.Now().UnixMilli(), job.Status, job.Progress, job.Id, currentStatus)
	if err != nil {
		return false, err
	}
	if n != 1 {
		return false, nil
	}
	s.lastWritten[job.Id] = job.Status
	return true, nil
}

// UpdateOptimisticallyCached skips the UPDATE when it believes the row
// already holds the job's status: it reports an update that never checked
// the expectation.
func (s *SqlJobStore) UpdateOptimisticallyCached(job *Job, currentStatus string) (bool, error) { // want UpdateOptimisticallyCached:`save\(Status of #0, expect=#1\) by convention`
	if s.lastWritten[job.Id] == job.Status {
		return true, nil // want `shortcut-save: .*currentStatus`
	}
	return s.UpdateOptimistically(job, currentStatus)
}
