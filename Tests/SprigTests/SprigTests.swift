import GoTemplate
import Testing
