/* test/install/hello.c — built by test_install.sh against the installed
 * tree only (pkg-config or find_package(uppp)): the public headers compile
 * alone and the library links and runs. */
#include <stdio.h>
#include <string.h>

#include <uppp/uppp.h>

int main(void)
{
#if UPPP_HAVE_SERVER
	struct uppp_server_config cfg;

	uppp_server_config_defaults(&cfg);
	if (cfg.padi_rate == 0) {
		fprintf(stderr, "hello: uppp_server_config_defaults left padi_rate=%u\n", cfg.padi_rate);
		return 1;
	}
#else
	struct uppp_client_config cfg;

	uppp_client_config_defaults(&cfg);
#endif
	if (strcmp(uppp_version(), UPPP_VERSION) != 0) {
		fprintf(stderr, "hello: headers say %s, library says %s\n", UPPP_VERSION, uppp_version());
		return 1;
	}
	printf("uppp_version=%s cause=%s\n", uppp_version(), uppp_cause_name(UPPP_CAUSE_ECHO_TIMEOUT));
	return 0;
}
