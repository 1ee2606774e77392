//! Peak memory for builds with very large files: freed memory goes back to the system
//! between stages.
//!
//! mimalloc keeps freed memory for a moment before it returns it, which suits the many
//! small pages of a normal build. With a 20 MB story, though, each stage frees a copy as
//! large as the story (the file's bytes, the text, the HTML before it becomes a template
//! value), and the copies kept for that moment added up to nearly five times the story.

use std::sync::atomic::{AtomicBool, Ordering};

static LARGE: AtomicBool = AtomicBool::new(false);

/// Notes the size of the largest text of the build being made.
pub fn note_largest(len: usize) {
    LARGE.store(len > crate::load::LARGE_FILE, Ordering::Relaxed);
}

/// After a stage: when the build holds a very large text, returns the memory freed so far
/// to the operating system.
pub fn release_if_large() {
    if LARGE.load(Ordering::Relaxed) {
        // SAFETY: `mi_collect` takes no pointers and has no preconditions; it only walks
        // mimalloc's own heaps (and finds nothing when mimalloc is not the allocator in use).
        unsafe { libmimalloc_sys::mi_collect(true) }
    }
}
