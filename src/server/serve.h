/*
 * serve.h - the entry points src/cli's command table calls into src/server.
 */
#ifndef MC_SERVE_H
#define MC_SERVE_H

/* `mcred serve [options]`: runs until SIGTERM/SIGINT; returns an exit code. */
int mc_serve_main(int argc, char **argv);
/* The token file the server reads for a store when neither --tokens nor
 * $MCRED_TOKENS names one: "<store path>.tokens" (`mcred token` uses it). */
int mc_serve_tokens_path(const char *store, char *out, size_t cap);

#endif
