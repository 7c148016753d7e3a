package analyzer

// Temporary stand-ins so the package compiles while its parts are written.
// Each part deletes its stand-in here when it lands.

const doc = "stateguard: finds state guards that cannot catch a concurrent duplicate"
