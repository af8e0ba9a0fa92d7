package vaultgen

import "strings"

// The word lists the generator draws from. They are plain English with a
// few accented names, so that notes read like notes and exercise NFC and
// case folding, and they never hold characters that Markdown or Obsidian
// would read as syntax ('[', '|', '#', '^', '$', '%', '*', '_', '`').

var (
	// prose is common running text.
	prose = strings.Fields(`the a an of to in and or for with on at by from as is was are were be
been has have had it this that these those which who what when where why how not no but if then
so than also just only very more most some any each every other such into over after before
between through during without within about against among under again further once here there
all both few many much own same can will would should could may might must shall do does did
we you they he she our your their its one two three first last next new old good great small
large long short high low early late right left real clear simple hard easy open close full
team project meeting note idea plan goal task issue question answer result data model system
process design review draft version change update problem solution approach method source
reference topic summary detail example case point part section chapter list table figure
chart report paper article book author reader user client customer market product feature
service tool library framework language code test build release deploy server network cloud
storage memory cache query index schema field record value number date time week month year
morning evening today yesterday tomorrow history future context history theory practice
experiment observation evidence argument claim reason cause effect risk cost budget price
quality speed scale growth trend pattern structure layer component module interface protocol
standard policy rule guideline principle habit routine workflow pipeline backlog milestone
deadline priority status owner stakeholder partner vendor contract proposal decision outcome
impact metric signal noise feedback insight lesson mistake fix bug regression baseline
benchmark profile trace log event alert incident outage recovery backup archive migration
research study survey interview analysis synthesis hypothesis conclusion
works shows suggests explains describes notes adds keeps needs makes takes gives finds uses
helps means seems looks feels runs moves starts stops grows changes follows leads covers
builds reads writes checks tracks links compares measures improves reduces increases
carefully quickly slowly clearly mostly rarely often usually probably certainly together
apart around across along behind beyond despite toward upon whether while although because`)

	// nouns and adjectives make titles; titleWords adds a few proper
	// nouns and accented words.
	nouns = strings.Fields(`Architecture Algorithm Analysis Archive Argument Atlas Audit Backlog
Balance Baseline Benchmark Blueprint Boundary Budget Cache Calendar Campaign Canvas Catalog
Chapter Checklist Circuit Climate Cluster Compass Compiler Concept Context Contract Corpus
Culture Curriculum Dashboard Dataset Debate Decision Design Dialogue Diary Digest Domain
Draft Ecosystem Editor Effect Engine Essay Estimate Ethics Evidence Experiment Feedback
Field Filter Forecast Framework Frontier Garden Gateway Glossary Grammar Graph Guide Habit
Harbor Heuristic Horizon Hypothesis Index Inference Insight Interface Interview Inventory
Journal Kernel Keystone Language Lattice Ledger Lesson Library Lifecycle Logic Manifesto Map
Market Memo Method Metric Migration Milestone Model Module Momentum Narrative Network Notebook
Observation Ontology Orbit Outline Paradigm Pattern Pipeline Playbook Policy Portfolio Practice
Primer Principle Priority Protocol Prototype Puzzle Query Question Reading Recipe Record
Reflection Registry Report Research Review Rhythm Ritual Roadmap Routine Runbook Sandbox Schema
Scope Script Seminar Sequence Signal Sketch Snapshot Spectrum Sprint Standard Strategy Study
Summary Survey Syllabus Synthesis System Taxonomy Template Tension Theory Thesis Timeline
Toolkit Topology Tradeoff Trail Transcript Trend Vision Vocabulary Workflow Workshop`)
	adjectives = strings.Fields(`Active Adaptive Agile Annual Applied Basic Better Bold Brief Broad
Central Classic Clear Collective Common Compact Complete Complex Concise Core Creative Critical
Daily Deep Digital Direct Distributed Dynamic Early Elegant Emerging Essential Ethical Evolving
Exact Explicit Fast Final Flexible Formal Fresh Future General Global Gradual Hidden Honest
Hybrid Implicit Incremental Informal Initial Inner Integrated Key Large Lasting Lean Linear
Local Long Lost Main Manual Minimal Mobile Modern Modular Monthly Mutual Natural Nested Neutral
Open Optimal Organic Outer Parallel Partial Personal Practical Primary Private Public Quick
Quiet Radical Random Rapid Raw Real Recent Remote Robust Rough Second Secure Shared Short
Simple Slow Small Smart Social Solid Sparse Stable Static Steady Strategic Strong Structured
Subtle Swift Tactical Thin Tidy Total Typical Unified Urban Useful Visual Weekly Whole Wild`)
	titleWords = strings.Fields(`Café Über Ångström Naïve Résumé Zürich München Ada Turing Lovelace
Hopper Shannon Curie Darwin Euler Gauss Noether Ramanujan Tesla Kepler Galileo Newton Riemann
Hilbert Gödel Dijkstra Knuth Lamport Liskov Hamilton Feynman`)

	// headingPhrases are section headings. Some hold punctuation that
	// Obsidian strips when it matches a heading link (links.md 20).
	headingPhrases = []string{
		"Background", "Context", "Motivation", "Goals", "Non-goals", "Overview", "Summary",
		"Key Findings", "Open Questions", "Next Steps", "Action Items", "Decisions", "Notes",
		"Details", "Examples", "Results", "Discussion", "Conclusion", "References", "Further Reading",
		"Timeline", "Risks", "Assumptions", "Constraints", "Alternatives Considered", "Design",
		"Implementation", "Testing", "Rollout", "Metrics", "Costs", "Stakeholders", "People",
		"Ideas", "Highlights", "Quotes", "Method", "Data", "Analysis", "Limitations",
		"Lessons Learned", "Retrospective", "What Went Well", "What to Improve", "Agenda",
		"Attendees", "Follow-ups", "Resources", "Glossary", "FAQ", "Status", "History",
		"Results: Phase 2", "Q&A", "Pros & Cons", "Why does it work?", "Step 1: Setup",
		"Step 2: Run", "Cost (estimate)", "Input/Output", "`parseConfig()` details",
		"Part I", "Part II", "Appendix A", "Appendix B", "Version 1.2", "Edge cases",
		"How it works", "Related work", "Open issues", "Known problems", "Key terms",
		"Reading notes", "Main argument", "Counterpoints", "Evidence", "Sources",
		"Setup", "Usage", "Configuration", "Troubleshooting", "Performance", "Security",
		"Naïve approach", "Café discussion", "Day 1", "Day 2", "Week in review",
	}

	// missingHeadings name sections that no note has: targets of broken
	// heading links (renamed or deleted sections).
	missingHeadings = []string{
		"Old Section", "Deprecated Notes", "Draft Outline", "Scratch", "Archive 2019",
		"Removed Part", "Earlier Findings", "Renamed Heading", "TBD Section", "Obsolete",
	}

	// dupNames are note names that several folders hold, as real vaults
	// do ("Overview" in every project folder).
	dupNames = strings.Fields(`Overview Index Summary Todo Inbox Questions Log Retrospective Plan
Scratchpad Readme Changelog Decisions Contacts Goals Backlog Links Notes Meeting Glossary Sources
Reading Roadmap Status Timeline Budget Risks Ideas Drafts Review Tasks Journal Wishlist Archive
Highlights Outline Brainstorm Feedback Checklist Agenda`)

	// Folder names: top level first, then the names nested folders take.
	topFolders = strings.Fields(`Projects Areas Resources Archive Journal People Meetings Reading
Research Clippings Ideas Notes Work Personal Learning Writing Travel Health Finance Recipes`)
	subFolders = strings.Fields(`2019 2020 2021 2022 2023 2024 2025 Q1 Q2 Q3 Q4 Alpha Beta Gamma
Delta Backend Frontend Infra Mobile Books Papers Articles Podcasts Courses Talks Clients Team
Hiring Planning Design Ops Sales Marketing Legal Drafts Published Inbox Someday Reference
Templates Home Garden Fitness Language Music Art History Science Math Physics Biology Code
Tools Notes Weekly Monthly Daily Travel Europe Asia Misc`)

	tags = strings.Fields(`project/alpha project/beta project/gamma area/health area/work
area/finance reading/book reading/paper reading/article status/active status/done
status/someday idea meeting person topic/ml topic/design topic/writing topic/history
review todo inbox evergreen seedling reference draft published journal daily weekly`)

	statuses  = []string{"draft", "active", "done", "someday", "archived", "review"}
	languages = []string{"python", "go", "js", "bash", "yaml", "sql", "json", "text"}
	callouts  = []string{"note", "tip", "info", "warning", "important", "question", "example", "quote", "abstract", "todo"}
	domains   = []string{"example.com", "example.org", "en.wikipedia.org", "github.com", "arxiv.org", "docs.example.net"}
)
