from auditor.detect.text import contains_phrase, fold, fold_slug, path_segments, phrase_regex


def test_fold_strips_case_accents_punctuation() -> None:
    assert fold("Política de Privacidad!") == "politica de privacidad"
    assert fold("Qui sommes-nous ?") == "qui sommes nous"
    assert fold("l’entreprise") == "l entreprise"


def test_slug_transliterates_umlauts() -> None:
    assert fold_slug("Datenschutzerklärung") == "datenschutzerklaerung"
    assert fold_slug("refund_policy.html") == "refund policy"
    assert path_segments("https://x.de/policies/Über-uns.php?q=1") == ("policies", "ueber uns")


def test_whole_word_matching() -> None:
    assert contains_phrase("our privacy policy", "privacy")
    assert not contains_phrase("privacypolicy", "privacy")
    regex = phrase_regex(["terms", "terms of service"])
    assert regex.search("read the terms of service").group(0) == "terms of service"
    assert not regex.search("determs")
