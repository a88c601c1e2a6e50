// glibc's allocator controls, which Swift's Glibc module leaves out (malloc.h).
#pragma once
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>
/// Returns whole free pages of every arena to the kernel; 1 if any were.
static inline int cplatform_release_free_heap(void) { return malloc_trim(0); }
#else
static inline int cplatform_release_free_heap(void) { return 0; }
#endif
