// The header's inline functions are the whole of this target; SwiftPM needs one source file.
#include "CPlatform.h"
