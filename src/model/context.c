/* context.c - the project's JSON-LD context, embedded from contexts/mcred-v1.jsonld. */
#include "internal.h"

extern const char mc__context_mcred_v1[];

const char *mc_context_document(void)
{
	return mc__context_mcred_v1;
}
