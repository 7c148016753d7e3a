// Package taskstate is a Go port of nova/compute/task_states.py: the
// action running on a server. None (no task) is Nova's NULL.
package taskstate

// State is the action in progress on an instance.
type State string

// None means that no task runs: Nova's task_state NULL.
const None State = ""

// Build and spawn.
const (
	Scheduling         State = "scheduling"
	BlockDeviceMapping State = "block_device_mapping"
	Networking         State = "networking"
	Spawning           State = "spawning"
)

// Snapshots and backups.
const (
	ImageSnapshot        State = "image_snapshot"
	ImageSnapshotPending State = "image_snapshot_pending"
	ImagePendingUpload   State = "image_pending_upload"
	ImageUploading       State = "image_uploading"
	ImageBackup          State = "image_backup"
)

// Password and resize.
const (
	UpdatingPassword State = "updating_password"
	ResizePrep       State = "resize_prep"
	ResizeMigrating  State = "resize_migrating"
	ResizeMigrated   State = "resize_migrated"
	ResizeFinish     State = "resize_finish"
	ResizeReverting  State = "resize_reverting"
	ResizeConfirming State = "resize_confirming"
)

// Reboots.
const (
	Rebooting         State = "rebooting"
	RebootPending     State = "reboot_pending"
	RebootStarted     State = "reboot_started"
	RebootingHard     State = "rebooting_hard"
	RebootPendingHard State = "reboot_pending_hard"
	RebootStartedHard State = "reboot_started_hard"
)

// Power, pause, suspend and rescue.
const (
	Pausing     State = "pausing"
	Unpausing   State = "unpausing"
	Suspending  State = "suspending"
	Resuming    State = "resuming"
	PoweringOff State = "powering-off"
	PoweringOn  State = "powering-on"
	Rescuing    State = "rescuing"
	Unrescuing  State = "unrescuing"
)

// Rebuild, migration, deletion and shelving.
const (
	Rebuilding                 State = "rebuilding"
	RebuildBlockDeviceMapping  State = "rebuild_block_device_mapping"
	RebuildSpawning            State = "rebuild_spawning"
	Migrating                  State = "migrating"
	Deleting                   State = "deleting"
	SoftDeleting               State = "soft-deleting"
	Restoring                  State = "restoring"
	Shelving                   State = "shelving"
	ShelvingImagePendingUpload State = "shelving_image_pending_upload"
	ShelvingImageUploading     State = "shelving_image_uploading"
	OffloadingShelved          State = ShelvingOffloading // an older name, kept for old callers
	ShelvingOffloading         State = "shelving_offloading"
	Unshelving                 State = "unshelving"
)
