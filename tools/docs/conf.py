"""Sphinx configuration of the course site: `python tools/docs.py` builds nbs/ with it into _docs/.

The notebooks are the source directory as they are; `nbdev_nb.transform` applies nbdev's conventions
to each one as Sphinx reads it, and the home page (index.ipynb) gets the sidebar's table of contents.
"""
import configparser, sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
from nbdev_nb import transform

cfg = configparser.ConfigParser(); cfg.read(here.parent.parent/'settings.ini'); cfg = cfg['DEFAULT']
nbs = here.parent.parent/cfg['nbs_path']
# teaching order is filename order: 00_data, 01_tokenize, 02_lm_data, 02b_training, ...
chapters = sorted(p.stem for p in nbs.glob('*.ipynb') if p.stem != 'index')

project, author, copyright = cfg['title'], cfg['author'], cfg['copyright']
extensions = ['myst_nb', 'sphinx.ext.githubpages']  # githubpages: a .nojekyll, so _static/ is served
root_doc = 'index'
exclude_patterns = ['models', '_out', '.ipynb_checkpoints', '**/.ipynb_checkpoints']  # ignored run outputs

nb_execution_mode = 'off'   # the committed outputs are the content: nothing is executed
nb_merge_streams = True     # one stdout block per cell, `\r` progress frames collapsed
myst_enable_extensions = ['attrs_inline', 'dollarmath']  # show_doc's `[source](...){target=...}`; $math$
myst_heading_anchors = 3    # `x.ipynb#a-heading` links resolve

html_theme = 'sphinx_book_theme'
html_title = project
html_static_path = ['_static']
html_css_files = ['custom.css']
html_copy_source = False   # each page links its notebook itself (nbdev_nb.transform); no second copy in _sources
html_theme_options = {'repository_url': cfg['git_url'], 'path_to_docs': cfg['nbs_path'],
                      'use_repository_button': True, 'use_download_button': True,
                      'show_toc_level': 2, 'home_page_in_toc': True}

def read_notebook(app, docname, source):
    text = transform(source[0], f'{docname}.ipynb', stems=chapters, lib_name=cfg['lib_name'])
    if docname == root_doc:  # the sidebar, in teaching order; titles are each notebook's `# ` heading
        import json
        nb = json.loads(text)
        nb['cells'].append({'cell_type': 'markdown', 'id': 'site-toc', 'metadata': {},
                            'source': '```{toctree}\n:hidden:\n:maxdepth: 1\n\n' + '\n'.join(chapters) + '\n```'})
        text = json.dumps(nb)
    source[0] = text

def setup(app): app.connect('source-read', read_notebook)
