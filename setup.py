from setuptools import find_packages, setup


def read_version():
    scope = {}
    with open('ltr_mm/version.py', encoding='utf-8') as f:
        exec(f.read(), scope)
    return scope['__version__']


# The same windows as ltr_mm/utils/version_check.py and the README. mmcv and mmcv-lite are one
# import package: install exactly one of them ('cls' takes mmcv-lite, 'det' and 'all' take
# mmcv with its compiled ops, which mmdet 3.3 wants below 2.2).
ENGINE = 'mmengine>=0.10.0,<1.0.0'
CLS = ['mmpretrain>=1.2.0,<1.3.0']
DET = ['mmdet>=3.3.0,<3.4.0', 'faster-coco-eval==1.8.0']

setup(
    name='ltr_mm',
    version=read_version(),
    description='Long-tailed recognition for OpenMMLab 2.x: LVIS detection and LT classification',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['ltr_mm', 'ltr_mm.*']),
    python_requires='>=3.9',
    install_requires=['numpy', 'packaging'],
    extras_require={
        'cls': [ENGINE, 'mmcv-lite>=2.0.0,<2.3.0', *CLS],
        'det': [ENGINE, 'mmcv>=2.0.0,<2.2.0', *DET],
        'all': [ENGINE, 'mmcv>=2.0.0,<2.2.0', *DET, *CLS],
    },
    license='Apache-2.0',
    zip_safe=False,
)
