/*
 * validate_tree.c - EU-element validation of an already parsed credential,
 * so mc_verify checks the model on the tree it parsed once instead of
 * parsing the text a second time (half the JSON work of a verification).
 */
#include "model/model.h"

mc_status mc__credential_validate_tree(const cJSON *root, mc_report *rep, char **extract)
{
	mc_status st = MC_OK;
	mc__model m;
	mc__model_init(&m);
	mc__model_read_credential(&m, root, rep, &st);
	/* the extract only of a credential whose every element read: what
	 * mc_credential_extract would return, from the same model */
	bool clean = true;
	for (size_t i = 0; extract && i < mc_report_count(rep); i++)
		clean = clean && mc_report_get(rep, i)->result != MC_FAIL;
	if (st == MC_OK && extract && clean) {
		cJSON *doc = mc__model_to_inputs(&m);
		if (!doc || !(*extract = mc__json_print(doc, 0)))
			st = MC_ERR_NOMEM;
		cJSON_Delete(doc);
	}
	mc__model_release(&m);
	return st;
}
