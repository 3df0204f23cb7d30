import { GRADES, type Grade } from './catalog-types.ts';

/** Anything with a grade that may still be unset (rows of the editor while being filled in). */
type Graded = { grade?: unknown };

export function isGrade(value: unknown): value is Grade {
  return typeof value === 'string' && (GRADES as readonly string[]).includes(value);
}

/** Position in GRADES: lower is higher; unknown values rank below every grade. */
export function gradeRank(grade: string): number {
  const index = (GRADES as readonly string[]).indexOf(grade);
  return index === -1 ? GRADES.length : index;
}

/** The higher of two grades. */
export function higherGrade(a: Grade, b: Grade): Grade {
  return gradeRank(a) <= gradeRank(b) ? a : b;
}

/**
 * The grade the server will store: the highest grade of the information items, or the declared one
 * when it is higher (a declared grade may raise the dataset's grade, never lower it).
 */
export function derivedGrade(declared: Grade, items: readonly Graded[]): Grade {
  return items.reduce<Grade>(
    (grade, item) => (isGrade(item.grade) ? higherGrade(grade, item.grade) : grade),
    declared,
  );
}

/** The highest grade among the items alone, if any item has one. */
export function highestItemGrade(items: readonly Graded[]): Grade | undefined {
  return items.reduce<Grade | undefined>(
    (best, item) =>
      isGrade(item.grade) && (best === undefined || gradeRank(item.grade) < gradeRank(best))
        ? item.grade
        : best,
    undefined,
  );
}
