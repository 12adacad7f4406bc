"The hand-drawn SVG diagrams in nbs/images/: present, well-formed, self-contained and small."
import re, xml.etree.ElementTree as ET
from pathlib import Path
import pytest

images = Path(__file__).resolve().parent.parent/'nbs'/'images'
NAMES = ['three_tokens', 'loop', 'unrolled', 'stacked', 'lstm_cell', 'gru_cell', 'awd_dropouts']
SVG = '{http://www.w3.org/2000/svg}'

def test_expected_images_exist():
    missing = [n for n in NAMES if not (images/f'{n}.svg').is_file()]
    assert not missing, f'missing from nbs/images/: {missing}'

@pytest.mark.parametrize('path', sorted(images.glob('*.svg')), ids=lambda p: p.name)
def test_svg_is_clean(path):
    assert path.stat().st_size < 20_000, f'{path.name}: {path.stat().st_size} bytes'
    text = path.read_text(encoding='utf-8')
    root = ET.fromstring(text)  # well-formed XML, or this raises
    assert root.tag == f'{SVG}svg' and root.get('viewBox')
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert 'title' in tags and (root.find(f'{SVG}title').text or '').strip()
    assert not tags & {'script', 'image', 'foreignObject'}, tags & {'script', 'image', 'foreignObject'}
    assert not re.search(r'''(?:href|src)\s*=\s*["']\s*(?:https?:)?//''', text), 'external reference'
    assert not re.search(r'url\(\s*["\']?\s*(?:https?:)?//|@import', text), 'external reference in CSS'
