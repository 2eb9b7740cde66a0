/// The SQLite gradebook.
public enum GradebookInfo {}
