/*
 * validate_tree.c - EU-element validation of an already parsed credential,
 * so mc_verify checks the model on the tree it parsed once instead of
 * parsing the text a second time (half the JSON work of a verification).
 */
#include "model/model.h"

mc_status mc__credential_validate_tree(const cJSON *root, mc_report *rep)
{
	mc_status st = MC_OK;
	mc__model m;
	mc__model_init(&m);
	mc__model_read_credential(&m, root, rep, &st);
	mc__model_release(&m);
	return st;
}
