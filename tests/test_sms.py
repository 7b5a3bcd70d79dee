from bot import sms


def test_gsm7_after_normalising_typography():
    encoded = sms.encode("It\u2019s \u201csafe\u201d \u2014 go\u2026")
    assert encoded.encoding == "GSM-7"
    assert encoded.text == "It's \"safe\" - go..."


def test_ucs2_for_arabic_and_segment_counts():
    assert sms.encode("مرحبا").encoding == "UCS-2"
    assert sms.encode("a" * 160).segments == 1
    assert sms.encode("a" * 161).segments == 2
    assert sms.encode("ب" * 70).segments == 1
    assert sms.encode("ب" * 71).segments == 2
    assert sms.encode("{" * 80).units == 160  # extension characters cost two septets


def test_fit_cuts_at_a_word_boundary_within_the_budget():
    text = " ".join(["word"] * 200)
    fitted = sms.fit(text, 2)
    assert fitted.segments <= 2
    assert fitted.text.endswith("...")
