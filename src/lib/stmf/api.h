// STMF_API marks the definitions of <libstmf.h>'s functions: C linkage, exported
// from libstmf.so (everything else there is hidden; see libstmf.map).
#ifndef OPENSTMF_LIB_STMF_API_H
#define OPENSTMF_LIB_STMF_API_H

#define STMF_API extern "C" __attribute__((visibility("default")))

#endif  // OPENSTMF_LIB_STMF_API_H
