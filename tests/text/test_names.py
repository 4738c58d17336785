from text.names import normalize_name


def test_case_dots_quotes_and_spacing_fold_into_one_key():
    assert normalize_name("Mr. Trump") == normalize_name(" mr  TRUMP ") == normalize_name("“Mr Trump”") == "mr trump"
    assert normalize_name("President Trump") != normalize_name("Mr. Trump")


def test_compatibility_forms_and_non_ascii_case_fold():
    assert normalize_name("ＪＯＳÉ  Straße") == normalize_name("josé strasse")
    assert normalize_name("...") == ""


def test_corpus_and_extractor_share_the_key():
    from corpus.text import normalize_alias
    from suggestions.extractor.speakers import normalize

    assert normalize is normalize_name and normalize_alias is normalize_name
