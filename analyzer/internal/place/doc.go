// Package place is the analyzer's model of objects, the places that hold
// them and the paths of one function along which a write to an object's
// field reaches a use of the object, over the SSA form of the function.
//
// # Objects and places
//
// A [Key] names an object: a root SSA value and a typed [Path] of steps
// from it ([Field], [Index], [IndexOf], [AnyIndex], [Deref], [Value]).
// Keys are comparable (paths are interned), so they can be compared with
// == and used as map keys.
//
//   - [ObjectOf] gives the key of the object a call argument designates
//     (a pointer to a struct, or a struct value loaded from a place), with
//     the [Loads] of its chain; [PointerKey] the key of what a struct
//     pointer points to.
//   - [PlaceOf] gives the place an address or a slice designates.
//   - [RebindsOf] gives the instructions that may put another pointer in
//     the place a key's pointer is loaded from; [Rebinds.Between] tells
//     whether one lies between two instructions.
//
// # Writes, saves and uses
//
// A [Write] is a write to a field of an object. Its At is the instruction
// of the function where the write takes effect; every query follows At.
// [FieldWrites] gives the stores of the function itself (At is the store).
//
// A [Use] is where the object is used: a save, or a read of the field
// back. [Saves] are the instructions that store the object, each with its
// error result: past a successful save a write no longer reaches a later
// use, past a failed one it still does.
//
//   - [ReachingWrites] gives the writes that reach a use on some path, with
//     no other write of the same field, no successful save and no
//     rebinding of the object's place in between.
//   - [ReadBack] and [ReadsWrite] tell whether an expectation reads the
//     field back after a write (s.Status after s.Status = X).
//   - [Reaches], [FailureSucc] and [RunDefers] are the path primitives
//     these are built on.
//
// # New sources of writes and saves
//
// Writes that the function does not make itself plug in as more Write
// values in the slice given to ReachingWrites: a helper called with the
// object, or a callback handed the object, writes at the call, so its
// Write has At = the call instruction, Store = the store inside the
// helper (for positions and messages), Loads = the loads of the object's
// key at the call (from ObjectOf of the argument). A new kind of save
// plugs in as one more entry in Saves: its call instruction and its
// error result. A new kind of use is a Use at its instruction. Nothing
// else in the model needs to know where a write or a save came from.
//
// Keys, paths and writes of different functions must not be mixed: roots
// and instructions belong to one function's SSA form.
package place
