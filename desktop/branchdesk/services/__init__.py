"""Operations shared by the GUI and the CLI; each public operation is one transaction."""
