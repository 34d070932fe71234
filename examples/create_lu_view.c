/*
 * create_lu_view - creates a file-backed logical unit and lets every host see it,
 * using nothing but libstmf (<libstmf.h>, -lstmf), as a COMSTAR program would.
 *
 *   create_lu_view FILE [SIZE]
 *
 * SIZE takes a k, m, g or t suffix (default 64m). Prints the new LU's GUID and the
 * LUN its view got. stmfd must be running; $OPENSTMF_RUN_DIR names its run
 * directory when it is not /run/openstmf.
 */
#include <libstmf.h>
#include <stdio.h>
#include <string.h>

static int fail(const char* what, int status) {
  fprintf(stderr, "create_lu_view: %s: %s (%s)\n", what, stmfGetErrorDetail(),
          stmfStatusText(status));
  return 1;
}

int main(int argc, char** argv) {
  luResource lu = NULL;
  stmfGuid guid;
  stmfViewEntry view;
  int status;
  int i;

  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: create_lu_view FILE [SIZE]\n");
    return 1;
  }

  status = stmfCreateLuResource(STMF_DISK, &lu);
  if (status != STMF_STATUS_SUCCESS) return fail("stmfCreateLuResource", status);
  status = stmfSetLuProp(lu, STMF_LU_PROP_FILENAME, argv[1]);
  if (status == STMF_STATUS_SUCCESS) {
    status = stmfSetLuProp(lu, STMF_LU_PROP_SIZE, argc == 3 ? argv[2] : "64m");
  }
  if (status == STMF_STATUS_SUCCESS) {
    status = stmfSetLuProp(lu, STMF_LU_PROP_ALIAS, "created by create_lu_view");
  }
  if (status != STMF_STATUS_SUCCESS) {
    (void)stmfFreeLuResource(lu);
    return fail("stmfSetLuProp", status);
  }
  status = stmfCreateLu(lu, &guid);
  (void)stmfFreeLuResource(lu);
  if (status != STMF_STATUS_SUCCESS) return fail("stmfCreateLu", status);

  /* All hosts, all targets, the lowest free LUN. */
  memset(&view, 0, sizeof(view));
  view.allHosts = B_TRUE;
  view.allTargets = B_TRUE;
  view.luNbrValid = B_FALSE;
  view.veIndexValid = B_FALSE;
  status = stmfAddViewEntry(&guid, &view);
  if (status != STMF_STATUS_SUCCESS) return fail("stmfAddViewEntry", status);

  printf("LU ");
  for (i = 0; i < 16; i++) printf("%02X", guid.guid[i]);
  printf(" view entry %u LUN %d\n", view.veIndex, ((view.luNbr[0] & 0x3f) << 8) | view.luNbr[1]);
  return 0;
}
