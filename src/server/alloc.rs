//! tree-sitter's memory allocator: mimalloc.
//!
//! A review parses thousands of files, and tree-sitter allocates its trees
//! a node at a time: with glibc's malloc, allocating and freeing them was
//! about a tenth of a review's CPU time. Only tree-sitter is switched; the
//! rest of the process (the server, its caches) keeps the system allocator
//! and the memory profile measured for it.

use std::sync::Once;

/// Makes tree-sitter allocate with mimalloc. Called before the first
/// `Parser` is made: tree-sitter allocates nothing before that (grammars are
/// static), so every tree it frees was allocated by mimalloc.
pub fn give_tree_sitter_mimalloc() {
    static DONE: Once = Once::new();
    DONE.call_once(|| {
        use libmimalloc_sys::{mi_calloc, mi_free, mi_malloc, mi_realloc};
        // SAFETY: runs once, before any tree-sitter object exists in the
        // process (every parser is made after this returns), and the four
        // functions are one allocator's malloc/calloc/realloc/free.
        unsafe {
            tree_sitter::set_allocator(
                Some(mi_malloc),
                Some(mi_calloc),
                Some(mi_realloc),
                Some(mi_free),
            );
        }
    });
}
