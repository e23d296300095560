/*
 * serve.h - the entry points src/cli's command table calls into src/server.
 */
#ifndef MC_SERVE_H
#define MC_SERVE_H

/* `mcred serve [options]`: runs until SIGTERM/SIGINT; returns an exit code. */
int mc_serve_main(int argc, char **argv);
/* `mcred token add|list|revoke` */
int mc_token_cmd_add(int argc, char **argv);
int mc_token_cmd_list(int argc, char **argv);
int mc_token_cmd_revoke(int argc, char **argv);

#endif
