/* What a parent process reports with each clone figure: its resident memory and its number of
 * memory mappings (fork's cost follows the address space it copies). Shared by the helper
 * executables (build/clonehelper, build/pidns). */
#ifndef CB_SELF_H
#define CB_SELF_H

#include <stdio.h>

/* VmRSS of this process in KiB, or -1. */
static inline long cb_rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kb = -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmRSS: %ld", &kb) == 1) break;
  fclose(f);
  return kb;
}

/* Lines of /proc/self/maps: the VMA count, or -1. */
static inline long cb_vma_count(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return -1;
  long n = 0;
  int c;
  while ((c = fgetc(f)) != EOF)
    if (c == '\n') n++;
  fclose(f);
  return n;
}

#endif
