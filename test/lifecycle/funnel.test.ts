import { describe, expect, it } from "vitest";
import { biggestDropOff, conversionSteps, stageBases, stageDeltas, topMovements, type TransitionCount } from "~/lifecycle/funnel";

const moved = (fromStage: string, toStage: string, customers: number): TransitionCount => ({ fromStage, toStage, customers });

describe("conversionSteps", () => {
  const atStart = { prospect: 100, new: 40, developing: 20, loyal: 10, at_risk: 8, lapsed: 50 };
  const transitions = [
    moved("", "prospect", 20), // sign-ups during the period
    moved("prospect", "new", 30),
    moved("new", "developing", 7),
    moved("developing", "loyal", 9),
    moved("loyal", "at_risk", 2),
    moved("developing", "at_risk", 3),
    moved("at_risk", "reactivated", 4),
    moved("lapsed", "reactivated", 5),
    moved("at_risk", "lapsed", 6),
    moved("new", "lapsed", 10),
  ];
  const steps = Object.fromEntries(conversionSteps(atStart, transitions).map((step) => [step.key, step]));

  it("divides who moved on by who was in the stage at the start or arrived during the period", () => {
    expect(stageBases(atStart, transitions)).toMatchObject({ prospect: 120, new: 70, developing: 27, loyal: 19, at_risk: 13, lapsed: 66, reactivated: 9 });
    expect(steps.firstOrder).toMatchObject({ moved: 30, base: 120, rate: 0.25 });
    expect(steps.secondOrder).toMatchObject({ moved: 7, base: 70, rate: 0.1 });
    expect(steps.becameLoyal).toMatchObject({ moved: 9, base: 27, rate: 1 / 3 });
    expect(steps.becameAdvocate).toMatchObject({ moved: 0, base: 19, rate: 0 });
  });

  it("counts win-backs and losses from every stage they can come from", () => {
    expect(steps.wonBackAtRisk).toMatchObject({ moved: 4, base: 13 });
    expect(steps.wonBackLapsed).toMatchObject({ moved: 5, base: 66 });
    // developing 27 + loyal 19 + advocate 0 + reactivated 9
    expect(steps.slippedAtRisk).toMatchObject({ moved: 5, base: 55 });
    // new 70 + developing 27 + loyal 19 + advocate 0 + reactivated 9 + at risk 13
    expect(steps.lapsed).toMatchObject({ moved: 16, base: 138 });
  });

  it("has no rate for a stage nobody passed through", () => {
    expect(conversionSteps({}, []).every((step) => step.rate === null && step.base === 0)).toBe(true);
  });

  it("names the forward step that loses the most as the drop-off", () => {
    expect(biggestDropOff(conversionSteps(atStart, transitions))?.key).toBe("becameAdvocate");
    expect(biggestDropOff(conversionSteps(atStart, [...transitions, moved("loyal", "advocate", 10)]))?.key).toBe("secondOrder");
    expect(biggestDropOff(conversionSteps({}, []))).toBeNull();
  });
});

describe("what changed", () => {
  it("lists stages whose head count moved, largest first", () => {
    expect(stageDeltas({ new: 10, loyal: 5, lapsed: 3 }, { new: 12, loyal: 5, lapsed: 0, at_risk: 4 })).toEqual([
      { stage: "at_risk", before: 0, now: 4, delta: 4 },
      { stage: "lapsed", before: 3, now: 0, delta: -3 },
      { stage: "new", before: 10, now: 12, delta: 2 },
    ]);
  });

  it("sums movements across days and keeps the largest", () => {
    const rows = [
      moved("new", "developing", 2),
      moved("prospect", "new", 3),
      moved("new", "developing", 4),
      moved("loyal", "loyal", 50),
      moved("", "prospect", 1),
    ];
    expect(topMovements(rows, 2)).toEqual([moved("new", "developing", 6), moved("prospect", "new", 3)]);
  });
});
