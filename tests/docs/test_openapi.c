/* docs/openapi.yaml is what the API promises (and is served at
 * /api/v1/openapi.yaml): it must parse as YAML (libyaml), and every route of
 * the API must be in it, every documented path a route. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "http/http_int.h"

static yaml_document_t doc;

static int setup(void **st) {
    (void)st;
    yaml_parser_t p;
    FILE *f = fopen("docs/openapi.yaml", "rb");
    if (!f) return -1;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    int ok = yaml_parser_load(&p, &doc);
    if (!ok)
        fprintf(stderr, "docs/openapi.yaml: %s at line %zu column %zu\n", p.problem ? p.problem : "?",
                p.problem_mark.line + 1, p.problem_mark.column + 1);
    yaml_parser_delete(&p);
    fclose(f);
    return ok && yaml_document_get_root_node(&doc) ? 0 : -1;
}

static int teardown(void **st) {
    (void)st;
    yaml_document_delete(&doc);
    return 0;
}

static yaml_node_t *get(yaml_node_t *map, const char *key) {
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(&doc, p->value);
    }
    return NULL;
}

static void routes_and_paths_agree(void **st) {
    (void)st;
    yaml_node_t *root = yaml_document_get_root_node(&doc), *paths = get(root, "paths");
    assert_non_null(get(root, "openapi"));
    assert_non_null(paths);
    const char *method;
    int api = 0;
    for (size_t i = 0; http_route_at(i, &method); i++) {
        const char *pattern = http_route_at(i, &method);
        if (strncmp(pattern, "/api/v1/", 8) != 0) continue; /* Open311 has its own spec */
        api++;
        char lower[8] = "";
        for (size_t k = 0; method[k] && k < sizeof lower - 1; k++) lower[k] = (char)(method[k] | 0x20);
        yaml_node_t *op = get(get(paths, pattern + 7), lower);
        if (!op) fail_msg("%s %s is not in docs/openapi.yaml", method, pattern);
        assert_non_null(get(op, "responses"));
    }
    assert_true(api > 20);
    for (yaml_node_pair_t *p = paths->data.mapping.pairs.start; p < paths->data.mapping.pairs.top; p++) {
        const char *doc_path = (char *)yaml_document_get_node(&doc, p->key)->data.scalar.value;
        bool routed = false;
        for (size_t i = 0; !routed && http_route_at(i, &method); i++)
            routed = strncmp(http_route_at(i, &method), "/api/v1", 7) == 0 &&
                     strcmp(http_route_at(i, &method) + 7, doc_path) == 0;
        if (!routed) fail_msg("docs/openapi.yaml documents %s, which is no route", doc_path);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(routes_and_paths_agree)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
