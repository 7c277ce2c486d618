/* A minimal `dot`: Graphviz's own command-line driver, linked against the bundled libraries. */
#include <stdio.h>
typedef struct { const char *name; void *address; } lt_symlist_t;
typedef struct GVC_s GVC_t;
typedef struct Agraph_s graph_t;
extern void *gvplugin_core_LTX_library, *gvplugin_dot_layout_LTX_library,
    *gvplugin_neato_layout_LTX_library, *gvplugin_gd_LTX_library, *gvplugin_pango_LTX_library;
GVC_t *gvContextPlugins(const lt_symlist_t *builtins, int demand_loading);
int gvParseArgs(GVC_t *gvc, int argc, char **argv);
graph_t *gvNextInputGraph(GVC_t *gvc);
int gvLayoutJobs(GVC_t *gvc, graph_t *g);
int gvRenderJobs(GVC_t *gvc, graph_t *g);
int gvFreeLayout(GVC_t *gvc, graph_t *g);
int agclose(graph_t *g);
int gvFinalize(GVC_t *gvc);
int gvFreeContext(GVC_t *gvc);

int main(int argc, char **argv) {
    const lt_symlist_t builtins[] = {
        {"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
        {"gvplugin_neato_layout_LTX_library", &gvplugin_neato_layout_LTX_library},
        {"gvplugin_pango_LTX_library", &gvplugin_pango_LTX_library},
        {"gvplugin_gd_LTX_library", &gvplugin_gd_LTX_library},
        {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
        {0, 0}};
    GVC_t *gvc = gvContextPlugins(builtins, 0);
    graph_t *g;
    int rc = gvParseArgs(gvc, argc, argv);
    if (rc) return rc;
    while ((g = gvNextInputGraph(gvc))) {
        if (gvLayoutJobs(gvc, g) || gvRenderJobs(gvc, g)) rc = 1;
        gvFreeLayout(gvc, g);
        agclose(g);
    }
    gvFinalize(gvc);
    return gvFreeContext(gvc) || rc;
}
