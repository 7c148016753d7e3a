package guardtest

// guardCases are the cases that go through the guard package's typed API.
func guardCases() []testCase {
	return nil
}
