"""Everything engine-specific, in one folder that nothing else in the package imports.

- hooks.py: MkDocs' hooks (listed under `hooks:` in mkdocs.yml; ProperDocs runs them too).
- macros_plugin.py: the mkdocs-macros adapter (`module_name: macros/engines/macros_plugin` in mkdocs.yml;
  Zensical runs it through the module `python -m macros generate` writes).
- prerender.py: the build's engine state (generated and deferred pages, the page worker's handle) and the page
  worker's plumbing (worker_calls, skeletons, render_macro).
- worker.py: the page worker (a forked process rendering pages while MkDocs builds).
- mdext.py: the Python-Markdown extension that puts back held HTML under an engine without hooks (Zensical).
- zensical_adapter.py: the project `python -m macros generate` writes for an engine without hooks, and how such
  an engine loads the data (load_without_hooks).

Below this folder everything is plain Python: the data, what is derived from it, the page macros (macros/registry.py)
and the build context (macros/site.py). Importing this package imports no engine: each module imports its own.
"""
