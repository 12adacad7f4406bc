"Public API of humannums_fastai.text: the book's tokens and the course's ', '-joined texts."
from humannums_fastai.text import human_numbers_nums, readnums, course_texts, course_tokens

def test_book_tokens():
    tokens, vocab, nums = human_numbers_nums()
    assert (len(tokens), len(vocab), list(nums[:6])) == (63095, 30, [0, 1, 2, 1, 3, 1])

def test_course_texts_match_seed():
    trn, val = course_texts()
    assert trn[:80] == 'one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirt'
    assert val[-80:] == ' nine thousand nine hundred ninety eight, nine thousand nine hundred ninety nine'
    assert readnums('valid.txt') == val

def test_course_tokens_match_seed():
    trn, val = course_tokens()
    assert ' '.join(trn)[:80] == 'xxbos one , two , three , four , five , six , seven , eight , nine , ten , eleve'
    assert len(val) == 13017 and val[:4] == ['xxbos', 'eight', 'thousand', 'one']
