/* config/options.h — what uppp understands of the rp-pppoe + pppd world: the
 * pppd options language (pppoe-server's -O file, /etc/ppp/options) and the
 * pppoe-server command-line flags.
 *
 * The parser is pure: a buffer in, a struct of settings and a list of
 * diagnostics ("FILE:LINE: warning: ...") out. Only `file` includes need the
 * file system, and they go through a reader the caller supplies;
 * uppp_options_load_file() supplies the real one.
 *
 * Syntax (pppd's): words separated by blanks or newlines; `#` at the start of
 * a word comments out the rest of the line; "..." and '...' quote (quoted and
 * unquoted parts join into one word); a backslash escapes the next character
 * (\n \t \r \s \xHH \ooo as in the secrets file, anything else literally); an
 * option's argument is the next word, wherever it is. Every option is looked
 * up in uppp_pppd_options[]: supported ones are applied, the others give a
 * notice, a warning or an error naming FILE:LINE, as the table says; a word
 * that is not a pppd option at all is an error (pppd refuses to start too). */
#ifndef UPPP_CORE_OPTIONS_H
#define UPPP_CORE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"

/* What uppp does with an option or a flag. */
enum uppp_opt_status {
	UPPP_OPT_SUPPORTED,  /* honoured */
	UPPP_OPT_NOTICE,     /* accepted; uppp already behaves so, or it means nothing here (logged at info) */
	UPPP_OPT_WARNING,    /* a pppd feature uppp does not have: ignored with a warning */
	UPPP_OPT_ERROR,      /* ignoring it would be unsafe or change who may connect: refuse to start */
};

struct uppp_opt_info {
	const char *name;             /* "lcp-echo-interval", or "-O" for a flag */
	bool has_arg;                 /* takes the next word as its value */
	enum uppp_opt_status status;
	const char *note;             /* one line: what uppp does with it (docs and diagnostics) */
};

/* pppd options, in the order docs/migrating-from-rp-pppoe.md lists them. */
extern const struct uppp_opt_info uppp_pppd_options[];
extern const size_t uppp_pppd_options_count;
/* pppoe-server flags ("-I" ...); config/server_args.c builds its getopt string
 * from this table. */
extern const struct uppp_opt_info uppp_pppoe_server_flags[];
extern const size_t uppp_pppoe_server_flags_count;

const struct uppp_opt_info *uppp_pppd_option_find(const char *name);
const struct uppp_opt_info *uppp_pppoe_server_flag_find(char flag);
/* "supported", "notice", "warning", "error". */
const char *uppp_opt_status_name(enum uppp_opt_status s);

#define UPPP_OPTIONS_MAX_DEPTH 8          /* `file` includes nested deeper are an error */
#define UPPP_OPTIONS_FILE_MAX (1u << 20)  /* larger option files are refused */
#define UPPP_OPTIONS_WHERE_MAX 300        /* "FILE:LINE" */

enum uppp_diag_level { UPPP_DIAG_NOTICE, UPPP_DIAG_WARNING, UPPP_DIAG_ERROR };

struct uppp_opt_diag {
	enum uppp_diag_level level;
	char text[512];               /* "FILE:LINE: warning: option 'x' ..." (no newline) */
};

/* Authentication bits: 1u << enum uppp_auth_method. */
#define UPPP_AUTH_BIT(p) (1u << (p))

/* Where a setting was last given: key is the option's name ("ms-dns",
 * "lcp-echo-interval"; "auth" for every option that chooses the
 * authentication: require-*, +pap..., auth, noauth), where "FILE:LINE". */
struct uppp_opt_origin {
	const char *key;              /* static */
	char where[UPPP_OPTIONS_WHERE_MAX];
};

/* The settings. "have_*" / non-zero values mean the files said so; the caller
 * lays them over its defaults and command-line flags. */
struct uppp_options {
	unsigned auth_required;       /* require-pap/-chap/-mschap-v2, +pap ...: any of these */
	bool auth;                    /* `auth`: some authentication is required */
	bool noauth;                  /* `noauth` (the last of auth/noauth wins) */
	bool mschap_v1_required;      /* require-mschap: not implemented (warning or error) */
	bool login;                   /* PAP against system accounts too */
	char login_where[UPPP_OPTIONS_WHERE_MAX];
	bool have_echo_interval, have_echo_failure, have_restart, have_max_configure;
	bool have_max_terminate, have_max_failure;
	unsigned echo_interval_s, echo_failure, restart_s, max_configure, max_terminate, max_failure;
	unsigned mtu, mru;            /* 0 = not given */
	bool have_idle;
	unsigned idle_s;              /* idle: seconds without IP data, 0 = never */
	bool have_negotiation_timeout;
	unsigned negotiation_timeout_s; /* negotiation-timeout (uppp's own): PADS to IPCP up, 0 = no limit */
	bool have_busy_poll;
	unsigned busy_poll_us;        /* busy-poll (uppp's own): µs polled after work, 0 = off */
	uint32_t dns[2];              /* ms-dns, host order, 0 = none */
	unsigned n_dns;
	uint32_t wins[2];             /* ms-wins (IPCP 130/132), host order, 0 = none */
	unsigned n_wins;
	char logfile[4096];           /* "" = not given */
	/* pppd's scripts: "" = not given (the caller's default), else the path */
	char auth_up_script[4096], auth_down_script[4096];
	char ip_pre_up_script[4096], ip_up_script[4096], ip_down_script[4096];
	char ipparam[1024];           /* `ipparam`: "" = not given */
	bool have_ipparam;
	bool have_hook_timeout;
	unsigned hook_timeout_s;      /* hook-timeout (uppp's own): SIGTERM to a script after it */
	bool debug;
	char name[256];               /* "" = not given */

	struct uppp_opt_origin *origins;  /* each option applied without error, in file order */
	size_t n_origins, cap_origins;

	struct uppp_opt_diag *diags;  /* in file order */
	size_t n_diags, cap_diags;
	size_t n_warnings, n_errors;
	bool oom;                     /* a diagnostic could not be recorded */
};

/* Reads path for a `file` include: returns 0 with *text (malloc'd, the
 * caller frees) and *len, and the path in a canonical form in canon (used to
 * detect include cycles); or -errno with a reason in err. */
typedef int (*uppp_options_reader)(void *ctx, const char *path, char **text, size_t *len,
				   char *canon, size_t canon_cap, char *err, size_t errcap);

struct uppp_options_io {
	uppp_options_reader read;     /* NULL: `file` is an error */
	void *ctx;
};

void uppp_options_init(struct uppp_options *o);
void uppp_options_free(struct uppp_options *o);

/* Parses text (from filename, for diagnostics; canon: its canonical path
 * for cycle detection, NULL = filename). Appends diagnostics to o. Returns 0
 * when this text (and what it includes) produced no error, -EINVAL otherwise
 * (the diagnostics say why), -ENOMEM. Parsing goes on after an error so that
 * every problem is reported at once. */
int uppp_options_parse(struct uppp_options *o, const char *text, size_t len, const char *filename,
		       const char *canon, const struct uppp_options_io *io);

/* Reads path from the file system and parses it (includes too). A file that
 * cannot be read is an error diagnostic "PATH: cannot open: ...". Returns as
 * uppp_options_parse. */
int uppp_options_load_file(struct uppp_options *o, const char *path);

/* The reader used by uppp_options_load_file() (ctx unused). */
int uppp_options_read_file(void *ctx, const char *path, char **text, size_t *len,
			   char *canon, size_t canon_cap, char *err, size_t errcap);

/* Records a diagnostic made elsewhere (cli/ validation of flags, etc.). */
void uppp_options_diag(struct uppp_options *o, enum uppp_diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "FILE:LINE" where key (struct uppp_opt_origin) was last given, or NULL.
 * For ms-dns and ms-wins, which count, every place that gave a server:
 * "F:3, F:4" in buf (cap bytes), which is returned. */
const char *uppp_options_where(const struct uppp_options *o, const char *key, char *buf, size_t cap);

/* Checks done once every file is read: require-mschap alone, login without
 * PAP... Adds diagnostics; returns 0 or -EINVAL when any error exists. */
int uppp_options_finish(struct uppp_options *o);

#endif
