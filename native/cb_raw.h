/* The one piece of inline asm every raw clone in clonebench shares (the harness, build/pidns,
 * build/restore, the clone3 differential test): a clone syscall whose child goes straight to
 * exit(0) without touching the stack or returning into C frames, so it is safe on a fresh
 * stack (thread), on the parent's (fork: a copy; vfork: the parent waits) and whatever flags a
 * test passes. x86_64 only. */
#ifndef CB_RAW_H
#define CB_RAW_H

#if defined(__x86_64__)
/* The child (rax == 0) calls SYS_exit (60; not exit_group: with CLONE_THREAD that would end the
 * whole process); the parent continues at label 1. */
#define CB_SYSCALL_CHILD_EXITS \
  "syscall\n\t"               \
  "test %%rax, %%rax\n\t"     \
  "jnz 1f\n\t"                \
  "mov $60, %%eax\n\t"        \
  "xor %%edi, %%edi\n\t"      \
  "syscall\n\t"               \
  "ud2\n\t"                   \
  "1:\n\t"
#endif

#endif
