"""Design-review decks: a neutral deck model, written as PPTX or as one self-contained HTML file."""
