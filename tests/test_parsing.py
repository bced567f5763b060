"""Report text -> title and sections, in every shape real generated reports take.

The fixtures are small stand-ins written in the shapes of the corpus reports (see
../shared/corpus/manifest.json); the last tests parse the corpus itself and compare with the
human reader's labels.
"""
from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.parsing import (inline_to_text, markdown_to_text, parse_report,
                                   title_from_filename)
from parser_agreement import CORPUS, agreement, manifest

FALLBACK = "Fallback title"
PARAGRAPH = "This paragraph explains the development in some detail for the reader."


def parse(text: str, fallback: str = FALLBACK):
    return parse_report(text, "r", "/lib/r.md", fallback)


def outline(text: str, fallback: str = FALLBACK) -> tuple[str, list[tuple[int, str]]]:
    title, sections = parse(text, fallback)
    return title, [(s.number, s.title) for s in sections]


def numbered_sections(count: int, heading: str = "## {n}. Topic {n}") -> str:
    return "".join(f"{heading.format(n=n)}\n{PARAGRAPH}\n\n" for n in range(1, count + 1))


# --- titles and the main heading level -----------------------------------------------------------

def test_canonical_template_shape():
    text = "# AI LLMs Report: 2025 Overview\n\n" + numbered_sections(10) + \
        "In conclusion, these trends shape the field.\n"
    title, sections = parse(text)
    assert title == "AI LLMs Report: 2025 Overview"
    assert [(s.number, s.title) for s in sections] == [(n, f"Topic {n}") for n in range(1, 11)]
    assert sections[-1].text.endswith("In conclusion, these trends shape the field.")


def test_unnumbered_sections_are_numbered_by_position():
    text = "# Report\n\n## Overview\nText.\n\n## Risks\nText.\n\n## Conclusion\nText.\n"
    assert outline(text) == ("Report", [(1, "Overview"), (2, "Risks"), (3, "Conclusion")])


def test_deeper_headings_stay_inside_their_section():
    text = ("# Report\n\n## 1. Integration\nLead.\n\n### Technological Overview\nA.\n\n"
            "### Market Impact\nB.\n\n## 2. Efficiency\n### Details\nC.\n")
    title, sections = parse(text)
    assert [(s.number, s.title) for s in sections] == [(1, "Integration"), (2, "Efficiency")]
    assert "### Market Impact" in sections[0].markdown
    assert sections[0].text == "Lead.\nTechnological Overview\nA.\nMarket Impact\nB."


def test_sections_at_h3_when_that_is_the_main_level():
    text = "# Report\n\n### Current Applications\nA.\n\n### Recent Advancements\nB.\n"
    assert outline(text)[1] == [(1, "Current Applications"), (2, "Recent Advancements")]


def test_every_heading_an_h1_means_sections_and_no_title():
    text = ("# OpenAI's GPT-4 Release - April 2024\n\nText one.\n\n"
            "# The Rise of Transformers - 2024\n\nText two.\n\n# Conclusion\n\nText three.\n")
    assert outline(text) == (FALLBACK, [(1, "OpenAI's GPT-4 Release - April 2024"),
                                        (2, "The Rise of Transformers - 2024"),
                                        (3, "Conclusion")])


def test_first_heading_with_a_body_is_a_section_not_the_title():
    text = ("## Book Metadata\n- **Title**: Digital Minimalism\n- **Author**: Cal Newport\n\n"
            "## Chapter-by-Chapter Summary\n\n### Chapter 1: The Problem\nText.\n\n"
            "## Top Actionable Items\n1. Do less.\n")
    assert outline(text) == (FALLBACK, [(1, "Book Metadata"), (2, "Chapter-by-Chapter Summary"),
                                        (3, "Top Actionable Items")])


def test_link_line_then_sections_has_no_title():
    text = ("[report.md](https://github.com/user-attachments/files/1/report.md)\n"
            "### Headline Summary\nMixed results.\n\n### Departments Needing Attention\nIT.\n")
    assert outline(text) == (FALLBACK, [(1, "Headline Summary"),
                                        (2, "Departments Needing Attention")])


def test_heading_without_body_over_sections_is_the_title():
    text = "## Quarterly Review\n\n### Sales\nUp.\n\n### Costs\nDown.\n"
    assert outline(text) == ("Quarterly Review", [(1, "Sales"), (2, "Costs")])


def test_leaked_system_prompt_is_not_the_title():
    text = ("# System:\nYou are AI LLMs Reporting Analyst\n### Current Applications\n\n"
            "Chatbots and assistants.\n\n### Recent Advancements\n\nFine-tuning.\n")
    title, sections = parse(text)
    assert title == FALLBACK
    assert [(s.number, s.title) for s in sections] == [(1, "Current Applications"),
                                                       (2, "Recent Advancements")]
    assert "You are" not in " ".join(s.markdown for s in sections)


def test_stray_bold_marker_before_the_title():
    text = ("**\n\n# Job Market Report for 2025  \n\n---\n## Introduction  \nText.\n\n"
            "## Key Trends\n")
    assert outline(text) == ("Job Market Report for 2025", [(1, "Introduction"),
                                                            (2, "Key Trends")])


def test_trailing_spaces_and_closing_hashes_are_not_part_of_titles():
    text = "# Title ##  \n\n## 1. First  \nText.\n\n## 2. Second ##\nText.\n"
    assert outline(text) == ("Title", [(1, "First"), (2, "Second")])


def test_emoji_titles_and_bold_metadata_are_no_introduction():
    text = ("# 🚀 Market Strategy Analysis Report\n\n**Product:** AI\n**Industry:** \tAI\n"
            "**Region:** India\n\n---\n\n## 📊 Market Research\nSummary.\n\n---\n\n"
            "### **1. Current Sales & Marketing Strategies**  \n**OpenAI (ChatGPT)**  \n"
            "- Free tier.\n\n"
            "## 🏢 Competitor Analysis\n**1. Current Campaigns**\nText.\n")
    assert outline(text) == ("🚀 Market Strategy Analysis Report",
                             [(1, "📊 Market Research"), (2, "🏢 Competitor Analysis")])


# --- title and level from the evidence of the whole report ---------------------------------------

def test_h2_title_over_h3_sections_with_an_introduction():
    text = (f"## Solar Power Outlook\n\n{PARAGRAPH}\n\n### 1. Costs\n{PARAGRAPH}\n\n"
            f"### 2. Storage\n{PARAGRAPH}\n")
    assert outline(text) == ("Solar Power Outlook",
                             [(0, "Introduction"), (1, "Costs"), (2, "Storage")])


def test_h3_title_over_h4_sections():
    text = "### Coffee Market Brief\n\n" + numbered_sections(3, "#### Topic {n}")
    assert outline(text) == ("Coffee Market Brief", [(1, "Topic 1"), (2, "Topic 2"),
                                                     (3, "Topic 3")])


def test_h3_title_over_bold_line_sections():
    text = (f"### Coffee Market Brief\n\n**1. Prices**\n\n{PARAGRAPH}\n\n"
            f"**2. Supply**\n\n{PARAGRAPH}\n")
    assert outline(text) == ("Coffee Market Brief", [(1, "Prices"), (2, "Supply")])


def test_closing_heading_at_the_title_level_after_deeper_sections():
    text = "## Coffee Brief\n\n" + numbered_sections(2, "### {n}. Topic {n}") + \
        f"## Conclusion\n{PARAGRAPH}\n"
    assert outline(text) == ("Coffee Brief", [(1, "Topic 1"), (2, "Topic 2"), (3, "Conclusion")])


def test_bold_setext_title_over_bold_setext_h1_sections():
    text = (f"**Coffee Market Brief**\n=====\n\n**Prices**\n=====\n{PARAGRAPH}\n\n"
            f"**Supply**\n===\n{PARAGRAPH}\n")
    assert outline(text) == ("Coffee Market Brief", [(1, "Prices"), (2, "Supply")])


def test_bold_line_title_with_an_introduction_over_numbered_bold_lines():
    text = (f"**Coffee Market Brief**\n\n{PARAGRAPH}\n\n**1. Prices**\n\n{PARAGRAPH}\n\n"
            f"**2. Supply**\n\n{PARAGRAPH}\n")
    assert outline(text) == ("Coffee Market Brief",
                             [(0, "Introduction"), (1, "Prices"), (2, "Supply")])


def test_bodiless_section_name_opening_the_report_is_not_the_title():
    text = "## Executive Summary\n\n" + numbered_sections(2)
    assert outline(text) == (FALLBACK, [(1, "Executive Summary"), (2, "Topic 1"), (3, "Topic 2")])


@pytest.mark.parametrize("chatter", [
    "I now can give a great answer",
    "Certainly! Here's a comprehensive report on the coffee market, based on the latest data:",
    "Thought: I now know the final answer\nFinal Answer:",
])
@pytest.mark.parametrize("title, level", [("## Coffee Market Brief", "###"),
                                          ("# Coffee Market Brief", "##"),
                                          ("**Coffee Market Brief**", "**")])
def test_agent_chatter_before_the_title_is_neither_title_nor_introduction(chatter, title, level):
    heading = "**{n}. Topic {n}**" if level == "**" else level + " {n}. Topic {n}"
    text = f"{chatter}\n\n{title}\n\n" + numbered_sections(2, heading)
    title_found, sections = parse(text)
    assert (title_found, [(s.number, s.title) for s in sections]) == \
        ("Coffee Market Brief", [(1, "Topic 1"), (2, "Topic 2")])
    assert "Certainly" not in sections[0].markdown


def test_a_long_paragraph_opening_like_chatter_is_the_introduction():
    text = ("Here is what a year of field work taught us about the coffee trade, from the farms "
            "in the highlands to the roasters in the cities, and why prices moved the way they "
            "did. " * 3 + "\n\n# Coffee Market Brief\n\n" + numbered_sections(2))
    assert outline(text)[1][0] == (0, "Introduction")


@pytest.mark.parametrize("contents", [
    "## 📑 Table of Contents\n- Topic 1\n- Topic 2\n",
    "## Outline\n1. [Topic 1](#1-topic-1)\n2. [Topic 2](#2-topic-2)\n",
    "## In This Report\n- 1. Topic 1\n- 2. Topic 2\n",
    "**Contents**\n\n- Topic 1\n- Topic 2\n",
])
def test_table_of_contents_under_any_name_is_not_a_section(contents):
    text = f"# Coffee Brief\n\n{contents}\n" + numbered_sections(2)
    assert outline(text) == ("Coffee Brief", [(1, "Topic 1"), (2, "Topic 2")])


def test_table_of_contents_between_a_bold_title_and_bold_sections():
    text = ("**Coffee Brief**\n\n**Table of Contents**\n\n- Prices\n- Supply\n\n"
            f"**Prices**\n\n{PARAGRAPH}\n\n**Supply**\n\n{PARAGRAPH}\n")
    assert outline(text) == ("Coffee Brief", [(1, "Prices"), (2, "Supply")])


def test_a_list_of_topics_with_its_own_text_is_a_section():
    text = ("# Coffee Brief\n\n## Overview\nThe brief covers two themes in turn:\n- Topic 1\n"
            "- Topic 2\n\n" + numbered_sections(2))
    assert outline(text)[1] == [(1, "Overview"), (2, "Topic 1"), (3, "Topic 2")]


@pytest.mark.parametrize("container", ["Main Topics", "Key Findings", "Detailed Analysis"])
def test_sections_nested_under_a_single_heading(container):
    text = (f"# Coffee Brief\n\n## {container}\n\n" + numbered_sections(3, "### {n}. Topic {n}")
            + f"## Conclusion\n{PARAGRAPH}\n")
    assert outline(text) == ("Coffee Brief", [(1, "Topic 1"), (2, "Topic 2"), (3, "Topic 3"),
                                              (4, "Conclusion")])


def test_numbered_subheadings_under_one_of_several_sections_stay_inside_it():
    text = (f"# Coffee Brief\n\n## Introduction\n{PARAGRAPH}\n\n## Key Trends\n\n"
            + numbered_sections(3, "### {n}. Trend {n}") + f"## Conclusion\n{PARAGRAPH}\n")
    assert outline(text)[1] == [(1, "Introduction"), (2, "Key Trends"), (3, "Conclusion")]


WRAPPER = "# Research Report: coffee prices\n\n**Generated:** 2025-01-02 10:00:00\n\n---\n\n"


def test_app_wrapper_heading_above_the_models_title():
    text = WRAPPER + "# Coffee Market Brief\n## Prices\nUp.\n\n## Supply\nDown.\n"
    assert outline(text) == ("Coffee Market Brief", [(1, "Prices"), (2, "Supply")])


def test_app_wrapper_above_a_fenced_report_with_chatter_after_it():
    text = (WRAPPER + "```markdown\n# Coffee Market Brief\n\n## Prices\nUp.\n\n## Supply\nDown.\n"
            "```\n\nThis report meets the criteria and is clearly structured.\n")
    title, sections = parse(text)
    assert (title, [s.title for s in sections]) == ("Coffee Market Brief", ["Prices", "Supply"])
    assert "criteria" not in sections[-1].markdown


def test_app_wrapper_over_an_h2_title_with_a_rule_right_under_its_metadata():
    text = ("# Research Report: coffee prices\n**Generated:** 2025-01-02\n---\n"
            "## Coffee Market Brief\n### Prices\nUp.\n### Supply\nDown.\n")
    assert outline(text) == ("Coffee Market Brief", [(1, "Prices"), (2, "Supply")])


def test_app_wrapper_stays_the_title_when_the_model_gave_none():
    text = WRAPPER + "## Prices\nPrices rose.\n\n## Supply\nSupply fell.\n"
    assert outline(text) == ("Research Report: coffee prices", [(1, "Prices"), (2, "Supply")])


def test_all_h1_report_with_a_title_h1_without_text():
    text = f"# Coffee Market Brief\n\n# Prices\n{PARAGRAPH}\n\n# Supply\n{PARAGRAPH}\n"
    assert outline(text) == ("Coffee Market Brief", [(1, "Prices"), (2, "Supply")])


def test_all_h1_sections_with_subheadings_and_no_title():
    text = (f"# Prices\n{PARAGRAPH}\n## Detail\nA.\n\n# Supply\n{PARAGRAPH}\n## Detail\nB.\n")
    assert outline(text) == (FALLBACK, [(1, "Prices"), (2, "Supply")])


def test_numbered_h1_sections_under_a_title_h1_with_an_introduction():
    text = (f"# Coffee Market Brief\n\n{PARAGRAPH}\n\n# 1. Prices\n{PARAGRAPH}\n## Detail\nA.\n\n"
            f"# 2. Supply\n{PARAGRAPH}\n\n# 3. Demand\n{PARAGRAPH}\n")
    assert outline(text) == ("Coffee Market Brief", [(0, "Introduction"), (1, "Prices"),
                                                     (2, "Supply"), (3, "Demand")])


def test_numbered_h1_sections_without_a_title():
    text = numbered_sections(3, "# **{n}. Topic {n}**")
    assert outline(text) == (FALLBACK, [(1, "Topic 1"), (2, "Topic 2"), (3, "Topic 3")])


def test_title_h1_with_numbered_sections_and_a_later_appendix_h1():
    text = "# Coffee Market Brief\n\n" + numbered_sections(3) + "# Appendix\n## Sources\n- a\n"
    title, sections = outline(text)
    assert (title, sections[:3]) == ("Coffee Market Brief",
                                     [(1, "Topic 1"), (2, "Topic 2"), (3, "Topic 3")])


def test_app_wrapper_above_a_bold_line_title_and_bold_sections():
    text = WRAPPER + (f"**Coffee Market Brief**\n\n**1. Prices**\n\n{PARAGRAPH}\n\n"
                      f"**2. Supply**\n\n{PARAGRAPH}\n")
    assert outline(text) == ("Coffee Market Brief", [(1, "Prices"), (2, "Supply")])


def test_a_short_lead_in_ending_in_a_colon_is_chatter():
    text = ("After reviewing every source, this is what I found about the market:\n\n"
            "## Coffee Market Brief\n\n" + numbered_sections(2, "### {n}. Topic {n}"))
    assert outline(text) == ("Coffee Market Brief", [(1, "Topic 1"), (2, "Topic 2")])


def test_bold_labels_between_numbered_bold_sections_stay_inside_them():
    text = ("**Coffee Market Brief**\n\n**Executive Summary**\n\nText.\n\n**1. Prices**\n\n"
            "Text.\n\n**Key points:**\n\n- up\n\n**2. Supply**\n\nText.\n\n**Conclusion**\n\n"
            "Text.\n")
    title, sections = parse(text)
    assert (title, [s.title for s in sections]) == \
        ("Coffee Market Brief", ["Executive Summary", "Prices", "Supply", "Conclusion"])
    assert "Key points" in sections[1].markdown


def test_references_at_the_title_level_after_deeper_sections():
    text = (f"## Coffee Brief\n\n{PARAGRAPH}\n\n" + numbered_sections(2, "### {n}. Topic {n}")
            + "## References\n- a source\n")
    assert outline(text) == ("Coffee Brief", [(0, "Introduction"), (1, "Topic 1"),
                                              (2, "Topic 2"), (3, "References")])


@pytest.mark.parametrize("end", ["## End of Report\n", "---\n\n**— End —**\n"])
def test_a_last_heading_without_text_marks_the_end_and_is_no_section(end):
    title, sections = parse("# Coffee Brief\n\n" + numbered_sections(2) + end)
    assert [s.title for s in sections] == ["Topic 1", "Topic 2"]
    assert "End" in sections[-1].markdown


# --- numbering -----------------------------------------------------------------------------------

@pytest.mark.parametrize("heading, number, title", [
    ("## 3. Model Advancements", 3, "Model Advancements"),
    ("## 3) Model Advancements", 3, "Model Advancements"),
    ("## Section 3: Model Advancements", 3, "Model Advancements"),
    ("## Part III - Model Advancements", 3, "Model Advancements"),
    ("## III. Model Advancements", 3, "Model Advancements"),
    ("### **3. Model Advancements**", 3, "Model Advancements"),
    ("## 3. **Model Advancements**", 3, "Model Advancements"),
    ("## **3. Model Advancements:**", 3, "Model Advancements"),
])
def test_numbers_come_from_the_heading(heading, number, title):
    text = f"# Report\n\n{heading}\nText.\n"
    assert outline(text)[1] == [(number, title)]


@pytest.mark.parametrize("heading", ["## 2024: A Year of Agents", "## 1.5x Faster Models",
                                     "## C. Results", "## iv. lowercase roman"])
def test_what_is_not_a_heading_number(heading):
    text = f"# Report\n\n{heading}\nText.\n"
    assert outline(text)[1] == [(1, heading[3:])]


def test_heading_numbers_may_skip():
    text = "# R\n\n## 1. A\nx\n\n## 2. B\nx\n\n## 5. C\nx\n\n## Conclusion\nx\n"
    assert outline(text)[1] == [(1, "A"), (2, "B"), (5, "C"), (6, "Conclusion")]


@pytest.mark.parametrize("headings", [
    ["## 1. A", "## 2. B", "## 2. C"],                       # repeats
    ["## 1. A", "## 3. B", "## 2. C"],                       # goes back
    ["## Executive Summary", "## 1. A", "## 2. B"],          # unnumbered first, then 1.
])
def test_untrustworthy_numbers_fall_back_to_positions(headings):
    text = "# R\n\n" + "".join(f"{h}\nText.\n\n" for h in headings)
    assert [n for n, _ in outline(text)[1]] == [1, 2, 3]


def test_roman_numerals_with_roman_subsections_inside():
    text = ("# AI LLMs Report\n\n## I. Introduction\nA.\n\n## II. Breakdown of the Context\nB.\n\n"
            "## III. Detailed Report for Each Section\n\n### I. Introduction\nC.\n\n"
            "### II. Development\nD.\n\n### Conclusion\nE.\n")
    assert outline(text)[1] == [(1, "Introduction"), (2, "Breakdown of the Context"),
                                (3, "Detailed Report for Each Section")]


def test_closing_heading_one_level_too_deep_is_top_level():
    text = "# Frameworks\n\n" + numbered_sections(3) + "### Conclusion\nAll in all, good.\n"
    title, sections = parse(text)
    assert [(s.number, s.title) for s in sections][-2:] == [(3, "Topic 3"), (4, "Conclusion")]
    assert sections[-1].text == "All in all, good."


# --- introduction --------------------------------------------------------------------------------

def test_intro_paragraph_becomes_section_zero():
    text = f"# Report\n\n{PARAGRAPH}\n\n" + numbered_sections(2)
    title, sections = parse(text)
    assert [(s.number, s.title) for s in sections] == [(0, "Introduction"), (1, "Topic 1"),
                                                       (2, "Topic 2")]
    assert sections[0].text == PARAGRAPH
    assert "# Report" not in sections[0].markdown


@pytest.mark.parametrize("before", [
    "---\n",                                                              # a rule
    "=====================\n",                                            # stray underline
    "## Table of Contents\n1. [Topic 1](#topic-1)\n2. [Topic 2](#topic-2)\n---------\n",
    "**Date:** October 26, 2024\n**Region:** India\n",                   # metadata
    "I now can give a great answer\n",                                    # short chatter
])
def test_no_introduction_when_the_text_before_sections_is_not_a_paragraph(before):
    text = f"# Report\n{before}\n" + numbered_sections(2)
    assert outline(text)[1] == [(1, "Topic 1"), (2, "Topic 2")]


def test_disclaimer_before_the_title_is_the_introduction():
    text = ("I currently don't have access to live web search, however I can provide a "
            "comprehensive report based on what I know.\n\n---\n\n# Unsupervised Learning\n\n"
            "## Introduction\nText.\n\n## Key Trends\nText.\n")
    assert outline(text) == ("Unsupervised Learning",
                             [(0, "Introduction"), (1, "Introduction"), (2, "Key Trends")])


def test_inline_bold_label_paragraph_is_an_introduction():
    text = ("# Asteroid Mining Report\n\n**Date:** October 26, 2024\n\n**Introduction:** This "
            "report gives an overview of the resource status for the mission.\n\n\n"
            "**1. Real-time Analysis of Current Resource Data:**\n\n"
            "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
            "**2. Analysis of Detected Anomalies:**\n\n* **Oxygen:** leak.\n")
    assert outline(text) == ("Asteroid Mining Report",
                             [(0, "Introduction"),
                              (1, "Real-time Analysis of Current Resource Data"),
                              (2, "Analysis of Detected Anomalies")])


def test_table_of_contents_is_not_a_section():
    text = ("# Report\n\n## Executive Summary\nSummary.\n\n## Table of Contents\n1. Intro\n"
            "2. Background\n\n## 1. Intro\nA.\n\n## 2. Background\nB.\n")
    title, sections = parse(text)
    assert [s.title for s in sections] == ["Executive Summary", "Intro", "Background"]
    assert "Table of Contents" in sections[0].markdown


# --- setext, bold lines and odd markup -----------------------------------------------------------

def test_setext_bold_headings_with_leaked_thought_before():
    text = ("I now can give a great answer\n\n**AI LLMs Report**\n=================\n\n"
            "**Advancements in Model Architecture**\n--------------\n\nText.\n\n"
            "**Conversational AI**\n---\n\n*   **Label:** text.\n")
    assert outline(text) == ("AI LLMs Report", [(1, "Advancements in Model Architecture"),
                                                (2, "Conversational AI")])


def test_underlines_after_atx_headings_are_not_setext():
    text = ("# Report: Advances\n==============\n\n## Pre-Training\n-------------\n\n### Detail\n"
            "Text.\n\n## Multitask Learning\n-------------\nText.\n\n-----\n")
    assert outline(text) == ("Report: Advances", [(1, "Pre-Training"), (2, "Multitask Learning")])


def test_a_paragraph_over_a_rule_is_not_a_heading():
    text = "# R\n\nFirst line of a paragraph\nsecond line of it.\n---\n\n## A\nx\n"
    assert outline(text)[1] == [(1, "A")]


def test_bold_line_title_over_bold_h3_sections():
    text = ("**AI Go-To-Market Strategy**  \n\n### **1. Strategic Positioning**  \n"
            "- **Positioning**:  \n  - *Vertical*: leader.\n\n---\n\n"
            "### **2. Pricing & Promotion**  \n"
            "- **Pricing**: tiers.\n\n---  \n**Execution Readiness**: ready.\n")
    assert outline(text) == ("AI Go-To-Market Strategy",
                             [(1, "Strategic Positioning"), (2, "Pricing & Promotion")])


def test_bold_lines_as_title_and_sections():
    text = ("**Acin Group Comprehensive Report: 2025**\n\n**Executive Summary**\n\nText.\n\n"
            "**1. Current Company Status (2025)**\n\nText.\n\n**2. Historical Performance**\n\n"
            "Text.\n\n**Conclusion**\n\nText.\n")
    assert outline(text) == ("Acin Group Comprehensive Report: 2025",
                             [(1, "Executive Summary"), (2, "Current Company Status (2025)"),
                              (3, "Historical Performance"), (4, "Conclusion")])


def test_bold_line_sections_without_title():
    text = ("**Analyse de la situation actuelle en France**\n\nLa dissolution de l'Assemblée.\n\n"
            "**Comment la France peut-elle sortir de cette crise ?**\n\nLa France peut.\n")
    assert outline(text) == (FALLBACK, [(1, "Analyse de la situation actuelle en France"),
                                        (2, "Comment la France peut-elle sortir de cette crise ?")])


def test_bold_lines_inside_sections_are_not_sections():
    text = ("# Trip\n\n## Daily Itinerary\n\n---\n\n**Day 1: Arrival**\n\nBeach.\n\n---\n\n"
            "**Day 2: Kitsilano**\n\nMore beach.\n\n## Packing\n**Clothing:**\n- hats\n")
    assert outline(text)[1] == [(1, "Daily Itinerary"), (2, "Packing")]


@pytest.mark.parametrize("opening, closing", [("```markdown", "```"), ("```", "```"),
                                              ("```md", "```"), ("~~~markdown", "~~~")])
def test_report_wrapped_in_a_fence_is_unwrapped(opening, closing):
    text = (f"I now can give a great answer\n\n{opening}\n# Beach Adventure\n\n{PARAGRAPH}\n\n"
            f"## Accommodation\nHotels.\n\n## Packing\nHats.\n{closing}\n")
    title, sections = parse(text)
    assert title == "Beach Adventure"
    assert [(s.number, s.title) for s in sections] == [(0, "Introduction"), (1, "Accommodation"),
                                                       (2, "Packing")]
    assert "```" not in sections[-1].markdown and "~~~" not in sections[-1].markdown


def test_a_code_block_at_the_start_is_not_a_wrapper():
    text = "```python\n# not a heading\nprint(1)\n```\n\n# Real Title\n\n## A\nx\n"
    assert outline(text) == ("Real Title", [(1, "A")])


def test_headings_inside_code_blocks_are_not_headings():
    text = ("# Report\n\n## 1. Setup\n\n```bash\n# install\n## not a section\n```\n\n"
            "~~~\n# neither\n~~~\n\n## 2. Usage\nText.\n")
    title, sections = parse(text)
    assert [(s.number, s.title) for s in sections] == [(1, "Setup"), (2, "Usage")]
    assert sections[0].text == "# install\n## not a section\n# neither"


def test_front_matter_is_skipped():
    text = "---\ntitle: x\ntags:\n  - a\n---\n# Report\n\n## A\nText.\n"
    assert outline(text) == ("Report", [(1, "A")])


def test_git_conflict_markers_keep_both_versions_in_order():
    text = ("<<<<<<< Updated upstream\n# AI in Healthcare: Trends\n=======\n**\n"
            ">>>>>>> Stashed changes\n\n---\n\n# AI in Healthcare: Analysis\n\n"
            "## **Executive Summary**  \n<<<<<<< Updated upstream\nSummary.\n\n"
            "## **Market Trends**  \nText.\n=======\nOther.\n\n## **1. Key Concepts**  \nText.\n\n"
            "## **Conclusion**  \nEnd.\n>>>>>>> Stashed changes\n")
    assert outline(text) == ("AI in Healthcare: Trends",
                             [(1, "Executive Summary"), (2, "Market Trends"),
                              (3, "Key Concepts"), (4, "Conclusion")])


# --- reports without headings --------------------------------------------------------------------

def test_no_headings_is_one_section():
    text = ("This report covers the key advancements:\n\n1. Multimodal LLMs: text.\n\n"
            "2. Reasoning: text.\n\nIn conclusion, much progress.\n")
    title, sections = parse(text)
    assert title == FALLBACK
    assert [(s.number, s.title) for s in sections] == [(1, FALLBACK)]
    assert sections[0].text.startswith("This report covers")


def test_no_headings_and_no_fallback_is_called_report():
    assert outline("Just text.\n", fallback="") == ("Report", [(1, "Report")])


def test_headings_without_words_are_not_headings():
    text = "# T\n\n##\nA.\n\n**\n---\nB.\n\n## **\nC.\n"
    assert outline(text) == ("T", [(1, "T")])


def test_title_only_report_is_one_section_under_the_title():
    title, sections = parse("# Only a Title\n\nSome text.\n")
    assert (title, [(s.number, s.title, s.text) for s in sections]) == \
        ("Only a Title", [(1, "Only a Title", "Some text.")])


@pytest.mark.parametrize("name, title", [
    ("my_report-2024", "My report 2024"), ("my_report-2024.md", "My report 2024"),
    ("quarterly  review.TXT", "Quarterly review"), ("__", "Report"),
])
def test_title_from_filename(name, title):
    assert title_from_filename(name) == title


# --- section source and plain text ---------------------------------------------------------------

def test_markdown_holds_the_heading_and_text_does_not():
    title, sections = parse("# T\n\n## 1. Alpha\nBody one.\n\n## 2. Beta\n\nBody two.\n\n")
    assert sections[0].markdown == "## 1. Alpha\nBody one."
    assert sections[1].markdown == "## 2. Beta\n\nBody two."
    assert [s.text for s in sections] == ["Body one.", "Body two."]


def test_setext_heading_underline_is_not_in_the_text():
    title, sections = parse("Title\n=====\n\nSection\n-------\nBody.\n")
    assert sections[0].markdown == "Section\n-------\nBody."
    assert sections[0].text == "Body."


@pytest.mark.parametrize("markdown, text", [
    ("**bold**, *italic*, ***both***, __strong__, _em_ and ~~gone~~",
     "bold, italic, both, strong, em and gone"),
    ("snake_case and __init__ stay words", "snake_case and init stay words"),
    ("see [the docs](https://x.org/a_(b) \"T\") and [ref][1]", "see the docs and ref"),
    ("![chart](chart.png) caption", "caption"),
    ("<b>HTML</b> <span class='x'>tags</span><br/>dropped<!-- note -->", "HTML tags dropped"),
    ("| Name | Value |\n|:---|---:|\n| a | 1 |", "Name · Value\na · 1"),      # cells apart
    ("use `pip install x` now", "use pip install x now"),
    ("> quoted\n> > nested", "quoted\nnested"),
    ("- item\n  * sub item\n1. first\n2) second\n- [x] done",
     "item\nsub item\nfirst\nsecond\ndone"),
    ("### Sub heading\ntext", "Sub heading\ntext"),
    ("spaces   and\ttabs  \u00a0 collapse  ", "spaces and tabs collapse"),
    ("a line  \n\n\n\nanother", "a line\nanother"),
    ("AT&amp;T &lt;3 &#8217; &copy;", "AT&T <3 ’ ©"),
    ("<https://example.com/page>", "https://example.com/page"),
    ("Footnote[^1] here", "Footnote here"),
    ("---\n***\n====", ""),
    ("```python\nx = a_b * 2  # comment\n```", "x = a_b * 2 # comment"),
])
def test_markdown_to_text(markdown, text):
    assert markdown_to_text(markdown) == text


def test_section_text_is_clean_words():
    text = ("# R\n\n## 1. **Multimodal** Models\n\n*   **Overview:** Models like [GPT-5](https://"
            "openai.com) handle *text* and <i>images</i>.\n\n| Model | Year |\n|---|---|\n"
            "| GPT-5 | 2025 |\n")
    section = parse(text)[1][0]
    assert section.title == "Multimodal Models"
    assert section.text == ("Overview: Models like GPT-5 handle text and images.\n"
                            "Model · Year\nGPT-5 · 2025")
    assert not re.search(r"[*_|#<>\[\]`]", section.text)


def test_inline_to_text_on_a_heading():
    assert inline_to_text("**1. [Title](x)** `code`  ") == "1. Title code"


# --- robustness ----------------------------------------------------------------------------------

# Each case takes 0.1-0.7 s of CPU on a desktop. The budget leaves room for slow CI machines;
# what it must catch is quadratic or exponential behaviour, which takes minutes.
BUDGET_SECONDS = 2.0


def _cpu_seconds(text: str) -> float:
    start = time.process_time()      # CPU time: not inflated by other processes
    parse(text)
    return time.process_time() - start


@pytest.mark.parametrize("text", [
    pytest.param("# T\n" + "".join(f"## {i}. Heading {i}\ntext\n" for i in range(1, 10_001)),
                 id="10,000 headings"),
    pytest.param("".join(f"**{i}. Bold {i}**\n\ntext\n\n" for i in range(1, 10_001)),
                 id="10,000 bold lines"),
    pytest.param("".join(f"Heading {i}\n---\ntext\n\n" for i in range(1, 10_001)),
                 id="10,000 setext headings"),
    pytest.param("word " * 1_000_000, id="5 MB line of words"),
    pytest.param("[" * 5_000_000, id="5 MB of ["),
    pytest.param("![a](" * 1_000_000, id="5 MB of ![a]("),
    pytest.param("<a " * 1_700_000, id="5 MB of <a"),
    pytest.param("**a** [b](c) <i>d</i> `e` _f_ &amp; \\* | " * 130_000, id="5 MB of markup"),
    pytest.param("## " + "x " * 2_500_000, id="5 MB heading"),
    pytest.param(">" * 100_000 + " # deep\ntext", id="100k nested quotes"),
    pytest.param("\n".join(" " * i + "- item" for i in range(3000)), id="deep list indentation"),
    pytest.param("> " * 100_000 + "- " * 100_000 + "text", id="100k quote and list markers"),
    pytest.param("```\n" * 100_000, id="100k fences"),
])
def test_pathological_input_parses_fast(text):
    assert _cpu_seconds(text) < BUDGET_SECONDS


MARKDOWN_PIECES = st.sampled_from([
    "# ", "## ", "### ", "**", "1. ", "2) ", "II. ", "- ", "* ", "> ", "| ", "---", "===",
    "```", "```markdown", "~~~", "[a](b)", "![i](p)", "<b>", "_", "`", "\n", "\n\n", "word ",
    "Conclusion", "# System:", "<<<<<<< ours\n", "=======\n", ">>>>>>> theirs\n", "   ",
])


@given(st.lists(MARKDOWN_PIECES | st.text(max_size=4), max_size=60).map("".join))
def test_any_text_gives_a_title_and_ordered_unique_sections(text):
    title, sections = parse(text)
    numbers = [s.number for s in sections]
    assert title and sections
    assert numbers == sorted(set(numbers))
    assert all(s.title for s in sections)


def test_nested_quotes_are_plain_text():
    title, sections = parse(">" * 100_000 + " deep words")
    assert sections[0].text == "deep words"


# --- the corpus: agreement with a human reader ---------------------------------------------------

# Reports where the manifest's labels contradict each other, with why we side as we do.
KNOWN_DIFFERENCES = {
    "022.md": "the reader takes the first heading '## Book Metadata' as the title although it is "
              "also the first section with a body of its own; in 038, 043, 044 and 058 the same "
              "shape is labelled 'no title'. We follow the majority: a first heading followed by "
              "text is a section, and the title falls back to the file name.",
}


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")


@needs_corpus
@pytest.mark.parametrize("entry", [
    pytest.param(entry, id=entry["file"], marks=pytest.mark.xfail(
        strict=True, reason=KNOWN_DIFFERENCES[entry["file"]]))
    if entry["file"] in KNOWN_DIFFERENCES else pytest.param(entry, id=entry["file"])
    for entry in manifest()
])
def test_corpus_report_agrees_with_the_reader(entry):
    assert agreement(entry).both


@needs_corpus
def test_corpus_agreement_rate():
    entries = manifest()
    agreeing = sum(agreement(entry).both for entry in entries)
    print(f"corpus agreement: {agreeing}/{len(entries)}")
    assert agreeing == len(entries) - len(KNOWN_DIFFERENCES)
