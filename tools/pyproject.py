"""Write pyproject.toml from settings.ini, the one file where this project's settings are edited.

nbdev 3 reads its settings only from the `[tool.nbdev]` table of pyproject.toml (and stops with "Found old
settings.ini" without one); setup.py reads settings.ini. This tool keeps the two in step:

    python tools/pyproject.py          # rewrite pyproject.toml from settings.ini
    python tools/pyproject.py --check  # exit 1 if pyproject.toml is not what settings.ini gives (CI)

The `[project]` table names the package and lists every other field as dynamic, so that setuptools takes
them from setup.py (nbdev's own template for projects that keep a setup.py).
"""
import sys, configparser, json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# settings.ini keys that describe the package (setup.py's) rather than nbdev's behaviour
PACKAGE_KEYS = {'repo', 'lib_name', 'version', 'min_python', 'license', 'audience', 'author', 'author_email', 'copyright',
                'description', 'keywords', 'language', 'status', 'user', 'requirements', 'nb_requirements',
                'dev_requirements', 'console_scripts', 'git_url', 'doc_host', 'doc_baseurl'}
DYNAMIC = ["version", "description", "keywords", "dependencies", "optional-dependencies", "readme", "license",
           "authors", "classifiers", "entry-points", "scripts"]

def toml_value(v:str)->str:
    "A settings.ini string as a TOML value: booleans and whole numbers typed, the rest quoted"
    if v in ('True', 'False'): return v.lower()
    if v.isdigit(): return v
    return json.dumps(v)  # a JSON string is a valid TOML basic string

def render(ini:Path=ROOT/'settings.ini')->str:
    "The pyproject.toml that settings.ini gives"
    cp = configparser.ConfigParser(delimiters=['='], interpolation=None)
    cp.read(ini, encoding='utf-8')
    cfg = cp['DEFAULT']
    lines = ['# Generated from settings.ini by tools/pyproject.py: edit settings.ini, then run that tool.',
             '[build-system]', 'requires = ["setuptools>=64", "wheel"]', 'build-backend = "setuptools.build_meta"', '',
             '[project]', f'name = {json.dumps(cfg["lib_name"])}', f'requires-python = ">={cfg["min_python"]}"',
             'dynamic = [' + ', '.join(json.dumps(d) for d in DYNAMIC) + ']', '',
             # nbdev 3 reads the repository and the site's address from here (show_doc's links, _modidx.py)
             '[project.urls]', f'Repository = {json.dumps(cfg["git_url"])}',
             f'Documentation = {json.dumps(cfg["doc_host"] + cfg["doc_baseurl"] + "/")}', '', '[tool.nbdev]']
    lines += [f'{k} = {toml_value(v)}' for k, v in cfg.items() if k not in PACKAGE_KEYS and v.strip()]
    return '\n'.join(lines) + '\n'

def main(argv=None)->int:
    argv = sys.argv[1:] if argv is None else argv
    want, path = render(), ROOT/'pyproject.toml'
    if '--check' in argv:
        if not path.exists() or path.read_text(encoding='utf-8') != want:
            print("pyproject.toml disagrees with settings.ini: run `python tools/pyproject.py` and commit both", file=sys.stderr)
            return 1
        return 0
    path.write_text(want, encoding='utf-8')
    print(f"wrote {path.relative_to(ROOT)}")
    return 0

if __name__ == '__main__': sys.exit(main())
