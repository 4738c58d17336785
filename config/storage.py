"""Static files in production: hashed names (cached for ever), compressed by WhiteNoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Also rewrites the ``import … from "./x.js"`` of the ES modules to their hashed names.

    The pages name each module by its hashed name, but a module's own imports named their neighbours
    plainly: a browser that kept last release's ``state.js`` could run it under this release's
    ``workspace.js``. With the imports rewritten, a changed module changes the name of every module
    that imports it, all the way up. The modules must not import each other in a cycle (a hash would
    depend on itself: collectstatic stops), and every import must name a file that exists."""

    support_js_module_import_aggregation = True
