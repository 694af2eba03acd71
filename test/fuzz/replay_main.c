/* replay_main.c — runs a fuzz target without libFuzzer: every file named on
 * the command line, or in a directory named there, goes once through
 * LLVMFuzzerTestOneInput (in name order). A crash or broken invariant
 * aborts; then the target's optional depth check (fuzz_replay_check: did the
 * seeds still reach deep states?) decides the exit status. This is how a
 * plain gcc build runs every corpus as a CTest case. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

int fuzz_replay_check(void) __attribute__((weak));

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	/* An exact-size copy, as libFuzzer gives: ASan sees any over-read. */
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int err = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (;;) {
		errno = 0;
		if (!(e = readdir(d))) {
			if (errno) {  /* not the end: a corpus read in part must not pass as a whole one */
				fprintf(stderr, "replay: cannot read %s: %s\n", dir, strerror(errno));
				err = -1;
			}
			break;
		}
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				abort();
			names = nn;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n])
			abort();
		snprintf(names[n++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (run_file(names[i]))
			err = -1;
		else
			(*count)++;
		free(names[i]);
	}
	free(names);
	return err;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			err = -1;
		} else if (S_ISDIR(st.st_mode)) {
			err |= run_dir(argv[i], &count);
		} else if (run_file(argv[i]) == 0) {
			count++;
		} else {
			err = -1;
		}
	}
	printf("replay: %u inputs ran without a crash or broken invariant\n", count);
	if (err || count == 0) {
		fprintf(stderr, "replay: FAILED (%s)\n", err ? "unreadable input" : "empty corpus");
		return 1;
	}
	if (fuzz_replay_check && fuzz_replay_check()) {
		fprintf(stderr, "replay: FAILED depth check: the seeds no longer reach the states they were "
				"made for (regenerate them with fuzz_seedgen, or the harness is broken)\n");
		return 1;
	}
	return 0;
}
