/* `ringzero singlestep`: runs SingleStepTests MOO vectors against the CPU. */
#ifndef RINGZERO_FRONTEND_SINGLESTEP_H
#define RINGZERO_FRONTEND_SINGLESTEP_H

int singlestep_main(int argc, char **argv);

#endif
