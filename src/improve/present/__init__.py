"""Rich presentation shared by the command line and the app: RAG words and counts, the
tables the command line prints, the review briefing. The core never imports this."""
