/// The grading pipeline.
public enum GradingInfo {}
