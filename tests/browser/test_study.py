

def test_the_handbook_prints_the_self_test_questions_then_the_answers(real_site: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(real_site / "handbook.pdf")
    texts = [page.extract_text() or "" for page in reader.pages[-60:]]
    heads = [text.split("\n", 2)[:2] for text in texts]
    questions = [i for i, h in enumerate(heads) if any(x.startswith("Questions: ") for x in h)]
    answers = [i for i, h in enumerate(heads) if any(x.startswith("Answers: ") for x in h)]
    assert questions
    assert answers
    assert max(questions) < min(answers)  # every answer after every question
    intro = next(t for t in texts if "questions generated from this edition" in t)
    assert "The Glossary deck is left out of print" in " ".join(intro.split())
    assert not any("Glossary" in x for h in heads for x in h if x.startswith("Questions: "))
